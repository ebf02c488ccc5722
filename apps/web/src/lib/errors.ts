import { isApiError } from "./api";

type ErrorData = {
  code?: string;
  zodIssues?: Array<{ path: string; message: string }> | null;
  details?: { retryAfterSeconds?: number; field?: string } | null;
};

/** Server messages (English) that operators see often, in pt-BR. Checked by substring. */
const KNOWN: Array<[RegExp, string | ((m: RegExpMatchArray) => string)]> = [
  [/Invalid email or password/i, "E-mail ou senha inválidos."],
  [/account is deactivated/i, "Esta conta está desativada. Fale com um administrador."],
  [/Try again in (\d+) seconds/i, (m) => `Muitas tentativas. Tente novamente em ${m[1]} segundos.`],
  [/already exists/i, "Já existe um usuário com este e-mail."],
  [/last active admin/i, "O último administrador ativo não pode ser desativado nem deixar de ser administrador."],
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
  if (code === "BAD_REQUEST" && data?.zodIssues?.length) {
    return data.zodIssues
      .map((i) => `${FIELD_NAMES[i.path] ?? (i.path || "Dados")}: ${known(i.message) ?? "valor inválido"}`)
      .join(" ");
  }
  if (code === "BAD_REQUEST") return "Confira os campos destacados e tente de novo.";
  return BY_CODE[code] ?? "Algo deu errado. Tente de novo.";
}
