import type { FormEvent, ReactNode } from "react";
import { Dialog } from "./dialog";
import { ErrorBox } from "./feedback";

/**
 * A dialog holding one form: the error of its last submit on top, the fields,
 * and the footer every form dialog has (Cancelar, and a submit button that says
 * "Salvando…" while the save runs and stays off while the form can't be sent).
 */
export function FormDialog({
  title,
  onClose,
  onSubmit,
  error,
  pending,
  canSubmit = true,
  submitLabel,
  pendingLabel = "Salvando…",
  wide = false,
  className = "dialog-body",
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  /** The last submit's error, already in pt-BR. */
  error?: string | null;
  pending: boolean;
  canSubmit?: boolean;
  submitLabel: string;
  pendingLabel?: string;
  wide?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (canSubmit && !pending) onSubmit();
  };
  return (
    <Dialog title={title} onClose={onClose} wide={wide}>
      <form className={className} onSubmit={submit}>
        {error && <ErrorBox message={error} />}
        {children}
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancelar
          </button>
          <button type="submit" className="btn btn-primary" disabled={!canSubmit || pending}>
            {pending ? pendingLabel : submitLabel}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
