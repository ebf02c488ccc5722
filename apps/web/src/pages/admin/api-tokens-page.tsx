import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { ErrorBox } from "../../ui/feedback";
import { ListPage } from "../../ui/list-page";
import { useToast } from "../../ui/toast";
import { ApiTokenDialog } from "./api-token-dialog";
import { SCOPE_LABEL, TOKEN_STATUS } from "./api-token-labels";

/** Administração › Integrações: the public API's tokens (created, shown once, revoked here). */
export default function ApiTokensPage() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: ["apiTokens.list"], queryFn: () => api.apiTokens.list.query() });
  const revoke = useMutation({
    mutationFn: (id: string) => api.apiTokens.revoke.mutate({ id }),
    onSuccess: async (t) => {
      toast(`Token “${t.name}” revogado.`);
      await qc.invalidateQueries({ queryKey: ["apiTokens.list"] });
    },
  });
  const rows = list.data ?? [];

  return (
    <ListPage
      title="Tokens de API"
      action={{ label: "Novo token", onClick: () => setCreating(true) }}
      intro={
        <>
          <p className="muted">
            Integrações (CRM, ERP, n8n) usam a API pública com um destes tokens. Documentação:{" "}
            <a href="/api/docs" target="_blank" rel="noreferrer">
              /api/docs
            </a>
            .
          </p>
          {revoke.error && <ErrorBox message={errorMessage(revoke.error)} />}
        </>
      }
      query={list}
      rows={rows}
      empty={{ title: "Nenhum token ainda", body: "Crie o primeiro com o botão “Novo token”." }}
      caption="Tokens de API"
      columns={
        <>
          <th scope="col">Nome</th>
          <th scope="col">Permissões</th>
          <th scope="col">Situação</th>
          <th scope="col">Último uso</th>
          <th scope="col">Validade</th>
          <th scope="col">Criado por</th>
        </>
      }
      rowKey={(t) => t.id}
      cells={(t) => (
        <>
          <td>
            {t.name}
            <div className="muted">
              <code>{t.prefix}…</code>
            </div>
          </td>
          <td>
            {t.scopes.map((s) => (
              <div key={s}>{SCOPE_LABEL[s]}</div>
            ))}
          </td>
          <td>
            <span className={TOKEN_STATUS[t.status].badge}>{TOKEN_STATUS[t.status].label}</span>
          </td>
          <td>
            {t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Nunca usado"}
            {t.lastUsedIp && <div className="muted">{t.lastUsedIp}</div>}
          </td>
          <td>{t.expiresAt ? formatDateTime(t.expiresAt) : "Sem validade"}</td>
          <td>
            {t.ownerName}
            <div className="muted">{formatDateTime(t.createdAt)}</div>
          </td>
          <td className="actions">
            {t.status !== "REVOKED" && (
              <button
                type="button"
                className="btn btn-small"
                disabled={revoke.isPending}
                aria-label={`Revogar ${t.name}`}
                onClick={() => {
                  if (window.confirm(`Revogar o token “${t.name}”? As integrações que o usam param na hora.`))
                    revoke.mutate(t.id);
                }}
              >
                Revogar
              </button>
            )}
          </td>
        </>
      )}
    >
      {creating && <ApiTokenDialog onClose={() => setCreating(false)} />}
    </ListPage>
  );
}
