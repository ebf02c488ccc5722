import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { migrate } from "./migrate";

/**
 * Test databases: one migrated template per test run, and one clone of it per
 * test file, so files run in parallel without seeing each other's rows.
 */
export async function createTemplateDatabase(serverUrl: string): Promise<string> {
  const name = `elsehu_tpl_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  await migrate(url);
  return url;
}

export async function cloneDatabase(templateUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `elsehu_test_${randomBytes(5).toString("hex")}`;
  const admin = postgres(withDatabase(templateUrl, "postgres"), { max: 1, onnotice: () => {} });
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`create database ${name} template ${template}`);
      break;
    } catch (err) {
      // Concurrent clones of one template can collide; retry briefly.
      if (attempt > 20) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  return {
    url: withDatabase(templateUrl, name),
    drop: async () => {
      const a = postgres(withDatabase(templateUrl, "postgres"), { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
