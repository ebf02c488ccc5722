import type { WebhookEventType } from "@elsehu/core";

/** Each public event type in the console's words. */
export const EVENT_TYPE_LABEL: Record<WebhookEventType, string> = {
  "message.received": "Mensagem recebida",
  "message.sent": "Mensagem enviada",
  "message.status": "Status de mensagem (enviada, entregue, lida, falhou)",
  "conversation.opened": "Conversa aberta",
  "conversation.assigned": "Conversa atribuída",
  "conversation.transferred": "Conversa transferida",
  "conversation.closed": "Conversa encerrada",
  "contact.created": "Contato criado",
  "contact.updated": "Contato alterado",
  "campaign.finished": "Campanha concluída",
  "csat.answered": "Pesquisa de satisfação respondida",
};

export const EVENT_TYPES = Object.keys(EVENT_TYPE_LABEL) as WebhookEventType[];

/** A delivery's type, including the test one ("webhook.test"). */
export function typeLabel(type: string): string {
  if (type === "webhook.test") return "Teste";
  return EVENT_TYPE_LABEL[type as WebhookEventType] ?? type;
}

export const DELIVERY_STATUS: Record<"PENDING" | "SUCCEEDED" | "FAILED" | "SKIPPED", { label: string; badge: string }> =
  {
    PENDING: { label: "Pendente", badge: "badge badge-warn" },
    SUCCEEDED: { label: "Entregue", badge: "badge badge-ok" },
    FAILED: { label: "Falhou", badge: "badge badge-danger" },
    SKIPPED: { label: "Ignorada", badge: "badge badge-off" },
  };
