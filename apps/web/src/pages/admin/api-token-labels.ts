import type { ApiScope } from "@elsehu/core";

/** What each scope lets a token do, in the console's words. */
export const SCOPE_LABEL: Record<ApiScope, string> = {
  "messages:send": "Enviar mensagens",
  "contacts:read": "Ler contatos",
  "contacts:write": "Criar e alterar contatos",
  "conversations:read": "Ler conversas e mensagens",
  "conversations:write": "Encerrar e transferir conversas",
  "campaigns:write": "Criar e iniciar campanhas",
  "reports:read": "Ler relatórios",
};

export const TOKEN_STATUS: Record<"ACTIVE" | "EXPIRED" | "REVOKED", { label: string; badge: string }> = {
  ACTIVE: { label: "Ativo", badge: "badge badge-ok" },
  EXPIRED: { label: "Expirado", badge: "badge badge-warn" },
  REVOKED: { label: "Revogado", badge: "badge badge-off" },
};
