import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { Dialog } from "../../ui/dialog";
import { ErrorBox } from "../../ui/feedback";
import { TextField } from "../../ui/field";
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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate();
  };
  return (
    <Dialog title={`Redefinir senha de ${user.name}`} onClose={onClose}>
      <form className="dialog-body" onSubmit={submit}>
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
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancelar
          </button>
          <button type="submit" className="btn btn-primary" disabled={password.length < 8 || reset.isPending}>
            {reset.isPending ? "Salvando…" : "Redefinir senha"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
