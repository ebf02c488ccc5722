export * from "./adapter";
export { networkError, ProviderError, type ProviderErrorInit, WebhookParseError } from "./errors";
export { EvolutionAdapter, type EvolutionConfig } from "./evolution/evolution-adapter";
export { classifyEvolutionError } from "./evolution/evolution-errors";
export {
  type EvolutionWebhookBatch,
  normalizeEventName,
  parseEvolutionWebhook,
} from "./evolution/parse-evolution-webhook";
export {
  bodyOf,
  collectBytes,
  MEDIA_LIMITS,
  type MediaFetchOptions,
  mediaLimitOf,
} from "./media-download";
export type { MetaPhoneInfo, MetaTemplate } from "./meta/meta-account";
export { MetaAdapter, type MetaConfig } from "./meta/meta-adapter";
export { classifyMetaError, isRetryableMetaCode } from "./meta/meta-errors";
export {
  type MetaChallengeQuery,
  signMetaBody,
  verifyMetaChallenge,
  verifyMetaSignature,
} from "./meta/meta-signature";
export { type MetaTemplateUpdate, parseMetaTemplateUpdates } from "./meta/meta-template-updates";
export { type MetaWebhookBatch, parseMetaWebhook } from "./meta/parse-meta-webhook";
export { type NormalizedPhone, normalizePhone, phoneFromJid, toEvolutionNumber, toMetaRecipient } from "./phone";
export { createProvider, type ProviderConfig, type SendLimits, sendLimits } from "./registry";
export * from "./types";
