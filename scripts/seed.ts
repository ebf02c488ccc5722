import { createLogger, loadApiEnv, loadDotEnvFile } from "@elsehu/api";
import { coreConfigFromEnv, resolveDatabase } from "@elsehu/core";
import { migrate } from "@elsehu/db";
import { ADMIN_PASSWORD_IGNORED } from "./run-all";
import { seed } from "./seed-lib";

loadDotEnvFile();
const env = loadApiEnv();
const db = await resolveDatabase(env);
await migrate(db.url);
const result = await seed(db.url, createLogger(env.LOG_LEVEL), coreConfigFromEnv(env), {
  email: env.ADMIN_EMAIL,
  password: env.ADMIN_PASSWORD,
});
console.log(result.created ? `Admin ${env.ADMIN_EMAIL} created` : `Admin ${env.ADMIN_EMAIL} already exists`);
if (!result.created && env.ADMIN_PASSWORD) console.log(ADMIN_PASSWORD_IGNORED(env.ADMIN_EMAIL));
if (result.created && result.generatedPassword) console.log(`Generated admin password: ${result.generatedPassword}`);
await db.stop?.();
