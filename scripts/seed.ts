import { createLogger, loadApiEnv } from "@elsehu/api";
import { coreConfigFromEnv, resolveDatabase } from "@elsehu/core";
import { migrate } from "@elsehu/db";
import { seed } from "./seed-lib";

const env = loadApiEnv();
const db = await resolveDatabase(env);
await migrate(db.url);
const result = await seed(db.url, createLogger(env.LOG_LEVEL), coreConfigFromEnv(env), {
  email: env.ADMIN_EMAIL,
  password: env.ADMIN_PASSWORD,
});
console.log(result.created ? `Admin ${env.ADMIN_EMAIL} created` : `Admin ${env.ADMIN_EMAIL} already exists`);
if (result.created && result.generatedPassword) console.log(`Generated admin password: ${result.generatedPassword}`);
await db.stop?.();
