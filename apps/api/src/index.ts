export { type ApiEnv, apiEnvSchema, loadApiEnv, loadDotEnvFile } from "./env";
export { createLogger, REDACT } from "./logger";
export { apiOptionsFromEnv } from "./options";
export type { AppRouter } from "./router";
export { appRouter } from "./router";
export { type ApiHandle, type StartApiOptions, startApi } from "./server";
