import { useMutation } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { errorMessage } from "../../lib/errors";
import { FormDialog } from "../../ui/form-dialog";

/** What the share menu gives each of its dialogs. */
export type SendDialogProps = {
  conversationId: string;
  replyToId: string | null;
  onClose: () => void;
  onSent: () => void;
};

/**
 * A form that sends one message from the chat: on submit its fields are checked, and only
 * with no error left is `send` called; `onSent` follows it.
 */
export function useSendForm<K extends string>(
  check: () => Partial<Record<K, string>>,
  send: () => Promise<unknown>,
  onSent: () => void,
) {
  const [errors, setErrors] = useState<Partial<Record<K, string>>>({});
  const mutation = useMutation({ mutationFn: send, onSuccess: onSent });
  const submit = () => {
    const found = check();
    setErrors(found);
    if (Object.keys(found).length === 0) mutation.mutate();
  };
  return { errors, setErrors, submit, error: mutation.error, pending: mutation.isPending };
}

/** The dialog of such a form: its title is also its button's ("Enviar localização"), "Enviando…" while it goes. */
export function SendDialog({
  title,
  form,
  onClose,
  children,
}: {
  title: string;
  form: { submit: () => void; error: Error | null; pending: boolean };
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <FormDialog
      title={title}
      onClose={onClose}
      onSubmit={form.submit}
      error={form.error && errorMessage(form.error)}
      pending={form.pending}
      submitLabel={title}
      pendingLabel="Enviando…"
    >
      {children}
    </FormDialog>
  );
}
