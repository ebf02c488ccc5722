import { loadApiEnv, loadDotEnvFile } from "@elsehu/api";
import { resolveDatabase } from "@elsehu/core";
import { migrate } from "@elsehu/db";

loadDotEnvFile();
const env = loadApiEnv();
const db = await resolveDatabase(env);
await migrate(db.url);
console.log("Migrations applied");
await db.stop?.();
