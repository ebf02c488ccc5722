import type { ApiScope } from "@elsehu/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { Dialog } from "../../ui/dialog";
import { Notice } from "../../ui/feedback";
import { CheckboxField, TextField } from "../../ui/field";
import { FormDialog } from "../../ui/form-dialog";
import { SCOPE_LABEL } from "./api-token-labels";

const SCOPES = Object.keys(SCOPE_LABEL) as ApiScope[];

/**
 * "Novo token": name, scopes and an optional last day. On success the token is
 * shown once, with a copy button; closing the dialog forgets it.
 */
export function ApiTokenDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiScope[]>([]);
  const [expires, setExpires] = useState("");
  const [copied, setCopied] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      api.apiTokens.create.mutate({
        name: name.trim(),
        scopes,
        // The end of the chosen day, local time.
        expiresAt: expires ? new Date(`${expires}T23:59:59`) : null,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["apiTokens.list"] }),
  });
  const toggle = (scope: ApiScope, on: boolean) =>
    setScopes((s) => (on ? [...s, scope] : s.filter((x) => x !== scope)));

  if (create.data) {
    const token = create.data.token;
    return (
      <Dialog title="Token criado" onClose={onClose}>
        <div className="dialog-body">
          <Notice tone="success">Copie o token agora: por segurança, ele não será mostrado de novo.</Notice>
          <TextField label="Token" readOnly value={token} onFocus={(e) => e.currentTarget.select()} />
          <footer className="dialog-footer">
            <button
              type="button"
              className="btn"
              onClick={() => {
                void navigator.clipboard?.writeText(token).then(() => setCopied(true));
              }}
            >
              {copied ? "Copiado" : "Copiar"}
            </button>
            <button type="button" className="btn btn-primary" onClick={onClose}>
              Concluir
            </button>
          </footer>
        </div>
      </Dialog>
    );
  }

  return (
    <FormDialog
      title="Novo token de API"
      onClose={onClose}
      onSubmit={() => create.mutate()}
      error={create.error && errorMessage(create.error)}
      pending={create.isPending}
      canSubmit={!!name.trim() && scopes.length > 0}
      submitLabel="Criar token"
      pendingLabel="Criando…"
    >
      <TextField
        label="Nome"
        required
        autoFocus
        maxLength={80}
        hint="Onde o token será usado, por exemplo “CRM” ou “n8n”."
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <fieldset className="fieldset">
        <legend>Permissões</legend>
        {SCOPES.map((scope) => (
          <CheckboxField
            key={scope}
            label={SCOPE_LABEL[scope]}
            checked={scopes.includes(scope)}
            onChange={(e) => toggle(scope, e.target.checked)}
          />
        ))}
      </fieldset>
      <TextField
        label="Válido até (opcional)"
        type="date"
        hint="Sem data, vale até ser revogado."
        value={expires}
        onChange={(e) => setExpires(e.target.value)}
      />
    </FormDialog>
  );
}
