import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { ErrorBox } from "../../ui/feedback";
import { TextField } from "../../ui/field";
import { FormDialog } from "../../ui/form-dialog";
import { useToast } from "../../ui/toast";
import type { UserRow } from "./users-page";

/** Admin sets a new password; the server ends all of the user's sessions. */
export function ResetPasswordDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const api = useApi();
  const toast = useToast();
  const [password, setPassword] = useState("");
  const reset = useMutation({
    mutationFn: () => api.users.resetPassword.mutate({ id: user.id, password }),
    onSuccess: () => {
      toast(`Senha de ${user.name} redefinida.`);
      onClose();
    },
  });
  return (
    <FormDialog
      title={`Redefinir senha de ${user.name}`}
      onClose={onClose}
      onSubmit={() => reset.mutate()}
      pending={reset.isPending}
      canSubmit={password.length >= 8}
      submitLabel="Redefinir senha"
    >
      <p className="muted">Todas as sessões abertas de {user.name} serão encerradas.</p>
      {reset.error && <ErrorBox message={errorMessage(reset.error)} />}
      <TextField
        label="Nova senha"
        type="password"
        required
        autoFocus
        minLength={8}
        autoComplete="new-password"
        hint="Pelo menos 8 caracteres."
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
    </FormDialog>
  );
}
