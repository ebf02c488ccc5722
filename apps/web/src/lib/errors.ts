import { isApiError } from "./api";

type ErrorData = {
  code?: string;
  zodIssues?: Array<{ path: string; message: string }> | null;
  details?: { retryAfterSeconds?: number; field?: string; reason?: string } | null;
};

const KIND: Record<string, string> = {
  image: "uma imagem",
  audio: "um áudio",
  video: "um vídeo",
  document: "um documento",
};

/** Server messages (English) that operators see often, in pt-BR. Checked by substring. */
const KNOWN: Array<[RegExp, string | ((m: RegExpMatchArray) => string)]> = [
  [/Invalid email or password/i, "E-mail ou senha inválidos."],
  [/account is deactivated/i, "Esta conta está desativada. Fale com um administrador."],
  [/Try again in (\d+) seconds/i, (m) => `Muitas tentativas. Tente novamente em ${m[1]} segundos.`],
  [/user with email .* already exists/i, "Já existe um usuário com este e-mail."],
  [/tabulation named .* already exists/i, "Já existe uma tabulação com este nome."],
  [
    /Connect to the console before changing your status/i,
    "Conecte-se ao console antes de mudar o status (recarregue a página).",
  ],
  [/already with this operator/i, "A conversa já está com este operador."],
  [/already in the queue/i, "A conversa já está na fila."],
  [
    /at capacity|over capacity|is full/i,
    "O operador está no limite de atendimentos. Marque “Forçar” ou escolha outro.",
  ],
  [/is not online|not online/i, "O operador não está online."],
  [/already has an active conversation/i, "O cliente já tem outra conversa ativa neste número."],
  [/tabulationId: unknown or inactive/i, "Escolha uma tabulação ativa."],
  [
    /cannot be (closed|transferred)|only finished ones reopen/i,
    "A conversa mudou de situação. Atualize a tela e tente de novo.",
  ],
  [/last active admin/i, "O último administrador ativo não pode ser desativado nem deixar de ser administrador."],
  [/Outside the 24-hour customer window/i, "Fora da janela de 24 horas: envie um modelo."],
  [/file: type (\S+) cannot be sent/i, (m) => `O WhatsApp não aceita arquivos do tipo ${m[1]}.`],
  [
    /file: an? (\w+) can have at most (\d+) MB/i,
    (m) => `Arquivo grande demais: ${KIND[m[1] ?? ""] ?? "o arquivo"} pode ter no máximo ${m[2]} MB.`,
  ],
  [/file: required/i, "Escolha um arquivo para enviar."],
  [/This WhatsApp number is deactivated/i, "Este número de WhatsApp está desativado."],
  [/phone: a contact with (\S+) already exists/i, (m) => `Já existe um contato com o telefone ${m[1]}.`],
  [/phone: another contact already has/i, "Outro contato já usa este telefone."],
  [/phone: ".*" is not a valid phone number/i, "Telefone inválido. Use DDD e número, ex.: (11) 98765-4321."],
  [/already uses this phone number id/i, "Outro número já usa este Phone number ID."],
  [/^Evolution: (.*)/, (m) => `A Evolution API respondeu: ${m[1]}`],
  [/already started/i, "Esta importação já foi iniciada."],
  [/current password is wrong/i, "A senha atual está incorreta."],
  [/at least 8 characters/i, "A senha precisa ter pelo menos 8 caracteres."],
];

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
};

const BY_CODE: Record<string, string> = {
  UNAUTHORIZED: "Sua sessão terminou. Entre novamente.",
  FORBIDDEN: "Seu perfil não tem permissão para esta ação.",
  NOT_FOUND: "O item não foi encontrado. Ele pode ter sido removido; atualize a lista.",
  CONFLICT: "Este registro já existe.",
  PRECONDITION_FAILED: "Esta ação não é permitida no estado atual.",
  TOO_MANY_REQUESTS: "Muitas solicitações. Aguarde alguns segundos e tente de novo.",
  PAYLOAD_TOO_LARGE: "O arquivo ou conteúdo enviado é grande demais.",
  SERVICE_UNAVAILABLE: "O serviço do WhatsApp não respondeu. Tente de novo em instantes.",
  INTERNAL_SERVER_ERROR: "Erro inesperado no servidor. Tente de novo; se persistir, avise o suporte.",
};

/** Accents or common Portuguese words: the server wrote this message for the console. */
const PT_BR = /[ãõçáéíóúâêô]|\b(não|modelo|campanha|variáve|Informe|Só|Instância)\b/i;

function known(message: string): string | undefined {
  for (const [re, out] of KNOWN) {
    const m = message.match(re);
    if (m) return typeof out === "string" ? out : out(m);
  }
  return undefined;
}

/** A message an operator can act on, in pt-BR, for any error thrown by the API client. */
export function errorMessage(err: unknown): string {
  if (!isApiError(err)) return "Algo deu errado. Tente de novo.";
  const data = (err.data ?? undefined) as ErrorData | undefined;
  const code = data?.code;
  if (!code) return "Sem conexão com o servidor. Verifique sua rede e tente de novo.";
  if (code === "TOO_MANY_REQUESTS" && data?.details?.retryAfterSeconds) {
    return `Muitas tentativas. Tente novamente em ${data.details.retryAfterSeconds} segundos.`;
  }
  const text = known(err.message);
  if (text) return text;
  // Some core verbs (templates, campaigns) already speak pt-BR to the user: show their sentence.
  if (PT_BR.test(err.message) && !data?.zodIssues?.length) return err.message;
  if (code === "BAD_REQUEST" && data?.zodIssues?.length) {
    return data.zodIssues
      .map((i) => `${FIELD_NAMES[i.path] ?? (i.path || "Dados")}: ${known(i.message) ?? "valor inválido"}`)
      .join(" ");
  }
  if (code === "BAD_REQUEST") return "Confira os campos destacados e tente de novo.";
  return BY_CODE[code] ?? "Algo deu errado. Tente de novo.";
}

/** The server refused free text because the 24 h window is closed: only a template can go now. */
export function needsTemplate(err: unknown): boolean {
  if (!isApiError(err)) return false;
  const data = (err.data ?? undefined) as ErrorData | undefined;
  return data?.details?.reason === "TEMPLATE_REQUIRED";
}
