import type { DetailsOf, Reason } from "@elsehu/core";
import { isApiError } from "./api";

/** One input problem as the API sends it (zod's code and bounds). */
type InputIssue = { path: string; message: string; code?: string; minimum?: number; maximum?: number };

type ErrorData = {
  code?: string;
  reason?: Reason;
  zodIssues?: InputIssue[] | null;
  details?: Record<string, unknown> | null;
};

const KIND: Record<string, string> = {
  image: "uma imagem",
  audio: "um áudio",
  video: "um vídeo",
  document: "um documento",
  csv: "o arquivo",
  file: "o arquivo",
};

const CAMPAIGN_VERB: Record<string, string> = { pause: "pausar", resume: "retomar", cancel: "cancelar" };

const FIELD_NAMES: Record<string, string> = {
  email: "E-mail",
  password: "Senha",
  newPassword: "Nova senha",
  currentPassword: "Senha atual",
  name: "Nome",
  maxConcurrent: "Máximo de atendimentos simultâneos",
  role: "Perfil",
  tabulationId: "Tabulação",
  reason: "Motivo",
  body: "Texto",
  instanceId: "Número (instância)",
  templateId: "Modelo",
  variableMapping: "Variáveis",
  "meta.name": "Nome do modelo na Meta",
  "meta.language": "Idioma",
  pacePerMinute: "Mensagens por minuto",
  "audience.tags": "Etiquetas",
  file: "Arquivo",
  phone: "Telefone",
};

const vars = (names: readonly string[] | undefined) => (names ?? []).map((v) => `{{${v}}}`).join(", ");
/** "preencha {{2}}; o modelo não tem {{x}}": the non-empty lists, each after its label. */
const parts = (...lists: Array<[readonly string[] | undefined, string]>) =>
  lists
    .filter(([names]) => names?.length)
    .map(([names, label]) => `${label} ${vars(names)}`)
    .join("; ");

/** What is wrong with one input, in pt-BR, from zod's issue code (never from its English message). */
function issueText(i: InputIssue): string {
  const field = FIELD_NAMES[i.path] ?? (i.path || "Dados");
  if (i.code === "too_small" && i.minimum !== undefined) {
    return i.minimum <= 1 ? `${field}: obrigatório.` : `${field}: precisa ter pelo menos ${i.minimum} caracteres.`;
  }
  if (i.code === "too_big" && i.maximum !== undefined) return `${field}: no máximo ${i.maximum} caracteres.`;
  if (i.code === "invalid_format" && i.path === "email") return `${field}: e-mail inválido.`;
  return `${field}: valor inválido.`;
}

type Text<R extends Reason> = string | ((details: DetailsOf<R>, issues: InputIssue[]) => string);

/**
 * The console's text for every reason the API can send (core's `reasons.ts`).
 * A `Record` over the union: a new reason without text fails the typecheck,
 * and apps/web/test/error-texts.test.ts checks none is blank.
 */
export const REASON_TEXT: { [R in Reason]: Text<R> } = {
  NOT_FOUND: "O item não foi encontrado. Ele pode ter sido removido; atualize a lista.",
  FORBIDDEN: "Seu perfil não tem permissão para esta ação.",
  INVALID_INPUT: (d, issues) =>
    issues.length > 0
      ? issues.map(issueText).join(" ")
      : d.field
        ? `${FIELD_NAMES[d.field] ?? d.field}: valor inválido.`
        : "Confira os campos destacados e tente de novo.",
  SIGN_IN_REQUIRED: "Sua sessão terminou. Entre novamente.",
  INVALID_CREDENTIALS: "E-mail ou senha inválidos.",
  ACCOUNT_DEACTIVATED: "Esta conta está desativada. Fale com um administrador.",
  LOGIN_THROTTLED: (d) => `Muitas tentativas. Tente novamente em ${d.retryAfterSeconds} segundos.`,
  ROLE_FORBIDDEN: "Seu perfil não tem permissão para esta ação.",
  TOO_MANY_SOCKETS: "Há abas demais abertas com a sua conta. Feche algumas e recarregue.",
  TOO_MANY_SUBSCRIPTIONS: "Acompanhamentos ao vivo demais abertos com a sua conta. Feche algumas abas e recarregue.",
  SERVER_BUSY: "O servidor está no limite de conexões ao vivo. Tente de novo em instantes.",
  CROSS_SITE_REFUSED: "Pedido recusado: abra o console pelo endereço oficial e tente de novo.",
  WRONG_CURRENT_PASSWORD: "A senha atual está incorreta.",
  EMAIL_TAKEN: "Já existe um usuário com este e-mail.",
  LAST_ADMIN: "O último administrador ativo não pode ser desativado nem deixar de ser administrador.",
  NOT_OWN_PROFILE: "Operadores só podem ver o próprio perfil.",
  CONSOLE_NOT_CONNECTED: "Conecte-se ao console antes de mudar o status (recarregue a página).",
  CONVERSATION_NOT_YOURS: "Esta conversa não está com você.",
  CONVERSATION_NOT_OPEN: "Esta conversa não está aberta para você.",
  CONVERSATION_CLOSED: "Esta conversa já foi encerrada.",
  CONVERSATION_STATE_CHANGED: "A conversa mudou de situação. Atualize a tela e tente de novo.",
  CONTACT_HAS_ACTIVE_CONVERSATION: "O cliente já tem outra conversa ativa neste número.",
  ALREADY_WITH_OPERATOR: "A conversa já está com este operador.",
  ALREADY_IN_QUEUE: "A conversa já está na fila.",
  FORCE_NEEDS_STAFF: "Só supervisores podem atribuir acima do limite.",
  OPERATOR_NOT_ACTIVE: "Escolha um operador ativo.",
  OPERATOR_OFFLINE: "O operador não está online.",
  OPERATOR_AT_CAPACITY: "O operador está no limite de atendimentos. Marque “Forçar” ou escolha outro.",
  TABULATION_INACTIVE: "Escolha uma tabulação ativa.",
  TABULATION_NAME_TAKEN: "Já existe uma tabulação com este nome.",
  TOO_MANY_TAGS: (d) => `Uma conversa pode ter no máximo ${d.max} etiquetas.`,
  START_DISABLED_FOR_OPERATORS: "O administrador desativou o início de conversas por operadores.",
  CONTACT_WITH_OTHER_OPERATOR: "Este cliente já está em atendimento com outro operador ou na fila.",
  QUICK_REPLY_NOT_YOURS: "Você só pode alterar as suas respostas rápidas; as compartilhadas são da supervisão.",
  QUICK_REPLY_SHORTCUT_TAKEN: "Já existe uma resposta rápida com este atalho.",
  TOO_MANY_QUICK_REPLIES: (d) => `Limite de ${d.max} respostas rápidas atingido.`,
  TEMPLATE_REQUIRED: "Fora da janela de 24 horas: envie um modelo.",
  REPLY_TARGET_INVALID: "A mensagem respondida não é desta conversa.",
  BODY_TOO_LONG: (d) => `O texto pode ter no máximo ${d.max} caracteres.`,
  FILE_REQUIRED: "Escolha um arquivo para enviar.",
  FILE_TYPE_REFUSED: (d) => `O WhatsApp não aceita arquivos do tipo ${d.mimeType}.`,
  FILE_TOO_LARGE: (d) => `Arquivo grande demais: ${KIND[d.kind] ?? "o arquivo"} pode ter no máximo ${d.maxMb} MB.`,
  FILE_SIZE_MISMATCH: "O arquivo chegou incompleto. Envie de novo.",
  TEMPLATE_VALUES_MISSING: (d) =>
    `Variáveis do modelo: ${parts([d.missing, "preencha"], [d.unknown, "o modelo não tem"])}.`,
  VOICE_NOT_OGG_OPUS: "A mensagem de voz precisa ser um áudio OGG (Opus).",
  VOICE_NOT_MONO: "A mensagem de voz precisa ser gravada em mono.",
  VOICE_TOO_SHORT: "Gravação curta demais: segure um pouco mais antes de enviar.",
  VOICE_TOO_LONG: (d) => `A mensagem de voz pode ter no máximo ${Math.floor(d.maxSeconds / 60)} minutos.`,
  STICKER_NO_CAPTION: "Figurinhas não têm legenda.",
  REACTION_TO_REACTION: "Não é possível reagir a uma reação.",
  NOT_SENT_YET: "A mensagem ainda não chegou ao WhatsApp. Tente de novo em instantes.",
  PHONE_INVALID: "Telefone inválido. Use DDD e número, ex.: (11) 98765-4321.",
  PHONE_TAKEN: "Já existe um contato com este telefone.",
  CONTACT_NOT_YOURS: "Você só pode ver contatos das suas conversas.",
  IMPORT_ALREADY_STARTED: "Esta importação já foi iniciada.",
  INSTANCE_UNKNOWN: "Número não encontrado.",
  INSTANCE_DEACTIVATED: "Este número de WhatsApp está desativado.",
  INSTANCE_HAS_CONVERSATIONS: "Este número tem conversas: desative-o em vez de excluir.",
  INSTANCE_IN_USE: "Este número é usado por campanhas ou modelos: desative-o em vez de excluir.",
  INSTANCE_CREDENTIALS_UNREADABLE: (d) => `Credenciais da instância "${d.instance}" ilegíveis.`,
  PHONE_NUMBER_ID_TAKEN: "Outro número já usa este Phone number ID.",
  QR_ONLY_EVOLUTION: "Só números Evolution são conectados por QR code.",
  PRIVATE_PROVIDER_URL: "Endereço interno recusado: use o endereço público do provedor.",
  PROVIDER_HOST_UNRESOLVED: "O endereço do provedor não foi encontrado (DNS). Confira a URL.",
  SECRETS_REQUIRED_FOR_NEW_HOST: "Ao trocar o endereço do provedor, informe a credencial de novo.",
  PROVIDER_REFUSED: (d) => `A Evolution API respondeu: ${d.providerMessage}`,
  TEMPLATE_UNKNOWN: "Modelo não encontrado.",
  TEMPLATE_NAME_TAKEN: "Já existe um modelo com este nome.",
  TEMPLATE_IN_USE: (d) =>
    d.campaign ? `O modelo está em uso pela campanha "${d.campaign}".` : "O modelo é usado por campanhas.",
  TEMPLATE_INACTIVE: "O modelo está desativado.",
  TEMPLATE_OTHER_NUMBER: "O modelo é de outro número.",
  TEMPLATE_NOT_APPROVED: "O modelo não está aprovado na Meta (pausado, rejeitado ou em análise).",
  META_BAD_TOKEN: "A Meta recusou o token de acesso: confira o token do número.",
  META_UNKNOWN_PHONE_NUMBER_ID: "A Meta não encontrou este phone number id: confira o ID do número.",
  EVOLUTION_BAD_API_KEY: "O servidor Evolution recusou a chave de API.",
  PUBLIC_URL_MISSING: "Configure PUBLIC_URL no servidor: o Evolution precisa saber para onde enviar os webhooks.",
  NOT_META: "Só números Meta têm modelos aprovados pela Meta.",
  WABA_ID_MISSING: "Informe o ID da conta do WhatsApp Business (WABA) do número.",
  META_NAME_REQUIRED: "Números Meta só enviam modelos aprovados: informe o nome Meta do modelo.",
  TEMPLATE_ID_OR_DRAFT: "Escolha um modelo ou escreva um rascunho.",
  VARIABLES_UNCOVERED: (d) => `Variáveis ${parts([d.missing, "sem origem:"], [d.unknown, "desconhecidas:"])}.`,
  VARIABLES_MIXED: "Não misture variáveis numeradas ({{1}}) e nomeadas ({{nome}}).",
  VARIABLES_GAP: (d) => `Variáveis numeradas sem lacunas: falta ${vars(d.missing)}.`,
  CAMPAIGN_ALREADY_STARTED: "A campanha já foi iniciada.",
  CAMPAIGN_NO_RECIPIENTS: "A campanha não tem destinatários.",
  CAMPAIGN_STATUS_REFUSED: (d) => `Não é possível ${CAMPAIGN_VERB[d.action] ?? "alterar"} esta campanha agora.`,
  CAMPAIGN_NOT_DRAFT: "Só é possível enviar lista a um rascunho.",
  CAMPAIGN_AUDIENCE_NOT_CSV: "O público desta campanha é um filtro de contatos, não um CSV.",
  VARIABLE_SOURCE_INVALID: (d) =>
    `Origem inválida para {{${d.variable}}}: use csv:<coluna>, contact:name|email|phone|custom.<campo> ou text:<valor>.`,
  VARIABLE_NEEDS_CSV: (d) => `{{${d.variable}}} vem do CSV, mas o público não é um CSV.`,
  CSV_EMPTY: "Arquivo CSV vazio.",
  CSV_NO_HEADER: "Arquivo CSV sem cabeçalho.",
  CSV_COLUMNS_MISSING: (d) => `Colunas ausentes no CSV: ${d.missing.join(", ")}.`,
  DEPARTMENT_NOT_YOURS: "Este departamento não é um dos seus.",
  DEPARTMENT_UNKNOWN: "Departamento não encontrado ou arquivado.",
  DEPARTMENT_NAME_TAKEN: "Já existe um departamento com este nome.",
  DEPARTMENT_MEMBER_INVALID: "Só operadores e supervisores podem ser membros de um departamento.",
  OPERATOR_NOT_IN_DEPARTMENT: "Este operador não é do departamento escolhido.",
  REPORT_NOT_OWN: "Operadores só veem os próprios números.",
  MEDIA_NONE: "Esta mensagem não tem mídia para buscar.",
  MEDIA_READY: "A mídia já está disponível.",
  MEDIA_EXPIRED: "O WhatsApp só guarda a mídia por 30 dias: ela expirou.",
  CONTACT_CARD_UNKNOWN: "Este cartão de contato não existe nesta mensagem.",
  CONTACT_CARD_NO_PHONE: "Este cartão de contato não tem telefone.",
  API_TOKEN_INVALID: "Token de API ausente, desconhecido, expirado ou revogado.",
  API_TOKEN_EXPIRY_PAST: "A validade do token precisa ser uma data futura.",
  API_SCOPE_MISSING: "Este token não tem a permissão necessária para esta ação.",
  IDEMPOTENCY_KEY_INVALID: "Chave de idempotência inválida.",
  IDEMPOTENCY_KEY_REUSED: "Esta chave de idempotência já foi usada em outra solicitação.",
  PRIVATE_WEBHOOK_URL:
    "Endereço interno recusado: o webhook precisa de uma URL pública (não local, privada ou link-local).",
  WEBHOOK_HOST_UNRESOLVED: "O endereço do webhook não foi encontrado (DNS). Confira a URL.",
  TOO_MANY_WEBHOOK_ENDPOINTS: (d) => `Limite de ${d.max} webhooks atingido: remova ou reaproveite um.`,
  WEBHOOK_ENDPOINT_DISABLED: "Este webhook está desativado: ative-o antes de enviar.",
  PROCEDURE_NOT_FOUND: "Esta ação não existe nesta versão do servidor. Recarregue a página.",
  RATE_LIMITED: "Muitas solicitações. Aguarde alguns segundos e tente de novo.",
  PAYLOAD_TOO_LARGE: "O arquivo ou conteúdo enviado é grande demais.",
  SERVICE_UNAVAILABLE: "O serviço não respondeu. Tente de novo em instantes.",
  DATABASE_UNAVAILABLE: "O servidor está sem banco de dados no momento. Tente de novo em instantes.",
  QUERY_TIMEOUT: "A consulta demorou demais e foi cancelada. Tente de novo ou reduza o período.",
  INTERNAL: "Erro inesperado no servidor. Tente de novo; se persistir, avise o suporte.",
};

/** The pt-BR text of a reason, with its details (also for plain HTTP routes, which send `reason` in the body). */
export function reasonText(reason: Reason, details?: Record<string, unknown> | null, issues?: InputIssue[] | null) {
  const text = REASON_TEXT[reason] as Text<Reason> | undefined;
  if (text === undefined) return "Algo deu errado. Tente de novo.";
  return typeof text === "string" ? text : text((details ?? {}) as DetailsOf<Reason>, issues ?? []);
}

/** A message an operator can act on, in pt-BR, for any error thrown by the API client. */
export function errorMessage(err: unknown): string {
  if (!isApiError(err)) return "Algo deu errado. Tente de novo.";
  const data = (err.data ?? undefined) as ErrorData | undefined;
  if (!data?.code) return "Sem conexão com o servidor. Verifique sua rede e tente de novo.";
  return reasonText(data.reason ?? "INTERNAL", data.details, data.zodIssues);
}

/** The reason and the input it names (`details.field`), for forms that point at the field. */
export function errorReason(err: unknown): { reason: Reason; field: string | undefined } | undefined {
  if (!isApiError(err)) return undefined;
  const data = (err.data ?? undefined) as ErrorData | undefined;
  if (!data?.reason) return undefined;
  const field = data.details?.field;
  return { reason: data.reason, field: typeof field === "string" ? field : undefined };
}

/** The server refused free text because the 24 h window is closed: only a template can go now. */
export function needsTemplate(err: unknown): boolean {
  if (!isApiError(err)) return false;
  const data = (err.data ?? undefined) as ErrorData | undefined;
  return data?.reason === "TEMPLATE_REQUIRED";
}
