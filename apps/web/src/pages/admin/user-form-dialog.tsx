import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { Role } from "../../lib/format";
import { CheckboxField, SelectField, TextField } from "../../ui/field";
import { FormDialog } from "../../ui/form-dialog";
import { useToast } from "../../ui/toast";
import type { UserRow } from "./users-page";

/** Creates a user, or edits one when `user` is given (name, e-mail, role, active, capacity). */
export function UserFormDialog({ user, onClose }: { user?: UserRow; onClose: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(user?.name ?? "");
  const [email, setEmail] = useState(user?.email ?? "");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>(user?.role ?? "OPERATOR");
  const [active, setActive] = useState(user?.active ?? true);
  const [maxConcurrent, setMaxConcurrent] = useState(String(user?.maxConcurrent ?? 5));

  const save = useMutation({
    mutationFn: () => {
      const common = { name: name.trim(), email: email.trim(), role, maxConcurrent: Number(maxConcurrent) };
      return user
        ? api.users.update.mutate({ id: user.id, ...common, active })
        : api.users.create.mutate({ ...common, password });
    },
    onSuccess: async (saved) => {
      toast(user ? `Usuário ${saved.name} atualizado.` : `Usuário ${saved.name} criado.`);
      await qc.invalidateQueries({ queryKey: ["users.list"] });
      onClose();
    },
  });

  const capacity = Number(maxConcurrent);
  const valid =
    name.trim() !== "" &&
    email.includes("@") &&
    (user || password.length >= 8) &&
    Number.isInteger(capacity) &&
    capacity >= 1 &&
    capacity <= 100;

  return (
    <FormDialog
      title={user ? `Editar ${user.name}` : "Novo usuário"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error && errorMessage(save.error)}
      pending={save.isPending}
      canSubmit={valid}
      submitLabel={user ? "Salvar" : "Criar usuário"}
    >
      <TextField label="Nome" required autoFocus value={name} onChange={(e) => setName(e.target.value)} />
      <TextField
        label="E-mail"
        type="email"
        required
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      {!user && (
        <TextField
          label="Senha inicial"
          type="password"
          required
          minLength={8}
          autoComplete="new-password"
          hint="Pelo menos 8 caracteres. Entregue ao usuário, que pode trocá-la em “Minha conta”."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      )}
      <SelectField label="Perfil" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        <option value="OPERATOR">Operador</option>
        <option value="SUPERVISOR">Supervisor</option>
        <option value="ADMIN">Administrador</option>
      </SelectField>
      <TextField
        label="Máximo de atendimentos simultâneos"
        type="number"
        min={1}
        max={100}
        required
        value={maxConcurrent}
        onChange={(e) => setMaxConcurrent(e.target.value)}
      />
      {user && (
        <CheckboxField
          label="Ativo (pode entrar e receber atendimentos)"
          checked={active}
          onChange={(e) => setActive(e.target.checked)}
        />
      )}
    </FormDialog>
  );
}
