/** pt-BR names of the audit log's actions; an action missing here is shown as recorded. */
export const AUDIT_ACTION_LABEL: Record<string, string> = {
  "auth.login": "Entrada no sistema",
  "auth.login_failed": "Entrada recusada",
  "contact.create": "Contato criado",
  "contact.update": "Contato alterado",
  "contact.export": "Dados do contato exportados (LGPD)",
  "contact.erase": "Contato excluído (LGPD)",
  "contacts.import": "Importação de contatos",
  "campaign.import_csv": "Lista de campanha enviada",
  "campaign.create": "Campanha criada",
  "campaign.start": "Campanha iniciada",
  "campaign.pause": "Campanha pausada",
  "campaign.resume": "Campanha retomada",
  "campaign.cancel": "Campanha cancelada",
  "conversation.transfer": "Conversa transferida",
  "conversation.reopen": "Conversa reaberta",
  "instance.create": "Número adicionado",
  "instance.update": "Número alterado",
  "instance.delete": "Número removido",
  "instance.connect": "Número conectado",
  "instance.logout": "Número desconectado",
  "user.create": "Usuário criado",
  "user.update": "Usuário alterado",
  "user.reset_password": "Senha redefinida",
  "department.create": "Departamento criado",
  "department.update": "Departamento alterado",
  "department.members": "Membros do departamento alterados",
  "tabulation.create": "Tabulação criada",
  "tabulation.rename": "Tabulação renomeada",
  "tabulation.activate": "Tabulação ativada",
  "tabulation.deactivate": "Tabulação desativada",
  "tabulation.delete": "Tabulação excluída",
  "template.create": "Modelo criado",
  "template.update": "Modelo alterado",
  "template.delete": "Modelo excluído",
  "settings.update": "Configurações alteradas",
  "webhook_endpoint.create": "Webhook criado",
  "webhook_endpoint.update": "Webhook alterado",
  "webhook_endpoint.reveal_secret": "Segredo de webhook revelado",
  "webhook_endpoint.test": "Teste de webhook enviado",
  "webhook_endpoint.resend": "Entrega de webhook reenviada",
};

const TARGET_LABEL: Record<string, string> = {
  user: "Usuário",
  contact: "Contato",
  conversation: "Conversa",
  instance: "Número",
  import: "Importação",
  campaign: "Campanha",
  department: "Departamento",
  tabulation: "Tabulação",
  template: "Modelo",
  settings: "Configurações",
  webhook_endpoint: "Webhook",
};

const REASON_LABEL: Record<string, string> = {
  INVALID_CREDENTIALS: "e-mail ou senha incorretos",
  ACCOUNT_DEACTIVATED: "conta desativada",
};

const FIELD_LABEL: Record<string, string> = {
  name: "nome",
  phone: "telefone",
  email: "e-mail",
  tags: "etiquetas",
  customFields: "campos personalizados",
  optedOut: "opt-out",
};

export function actionLabel(action: string): string {
  return AUDIT_ACTION_LABEL[action] ?? action;
}

export function targetLabel(type: string, id: string | null): string {
  const name = TARGET_LABEL[type] ?? type;
  return id ? `${name} ${id.slice(0, 8)}` : name;
}

/** One line of the entry's details, in Portuguese where the shape is known. */
export function detailsOf(data: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof data.email === "string") parts.push(data.email);
  if (typeof data.reason === "string") parts.push(REASON_LABEL[data.reason] ?? data.reason);
  if (typeof data.ip === "string") parts.push(`IP ${data.ip}`);
  if (Array.isArray(data.fields))
    parts.push(`campos: ${data.fields.map((f) => FIELD_LABEL[String(f)] ?? f).join(", ")}`);
  if (typeof data.imported === "number")
    parts.push(`${data.imported} importados, ${Number(data.invalid ?? 0)} com erro`);
  if (typeof data.messages === "number") parts.push(`${data.messages} mensagens`);
  return parts.join(" · ");
}
