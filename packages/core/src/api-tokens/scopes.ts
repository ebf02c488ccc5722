/** What a public API token may do; each `/api/v1` operation needs one of these. */
export const API_SCOPES = [
  "messages:send",
  "contacts:read",
  "contacts:write",
  "conversations:read",
  "conversations:write",
  "campaigns:write",
  "reports:read",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Tokens start with this, so a leaked one is easy to recognise (secret scanners, logs). */
export const API_TOKEN_PREFIX = "elsehu_";
