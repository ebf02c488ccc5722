/**
 * Campaign dispatch benchmark.
 *
 *   tsx bench/campaign.ts [--size 10000] [--pacing-seconds 120]
 *
 * 1. Throughput: `size` recipients sent to the provider simulator at unlimited pace by
 *    a real worker (claim -> commit -> provider call -> record, per batch), against a
 *    baseline measured in the same run: bare loops calling the same simulator with the
 *    same Meta adapter, with the same number of calls in flight (8) as the dispatcher.
 * 2. Pacing: a campaign at 600/min; sends counted over `pacing-seconds` after the first.
 * Last line: {"name":"campaign","msgs_per_s":…,"baseline_msgs_per_s":…,"ratio":…,"pacing_error_pct":…}
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type CoreConfig,
  type CoreContext,
  createCampaign,
  createCoreContext,
  createTemplate,
  createUser,
  encryptJson,
  startCampaign,
  templateInput,
} from "@elsehu/core";
import { campaignRecipients, connect, serviceInstances, startEmbeddedPostgres, templates } from "@elsehu/db";
import { createTemplateDatabase, dropDatabase } from "@elsehu/db/testing";
import { createProvider } from "@elsehu/providers";
import { startSimulator } from "@elsehu/providers/simulator";
import { startWorker } from "@elsehu/worker";
import pino from "pino";

const { values } = parseArgs({
  options: { size: { type: "string", default: "10000" }, "pacing-seconds": { type: "string", default: "120" } },
});
const SIZE = Number(values.size);
const PACING_SECONDS = Number(values["pacing-seconds"]);
const LANES = 8;
const log = pino({ level: "silent" });

async function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => r(typeof a === "object" && a ? a.port : 0));
    });
  });
}

async function database() {
  if (process.env.DATABASE_URL) return { server: process.env.DATABASE_URL, stop: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), "elsehu-bench-pg-"));
  const pg = await startEmbeddedPostgres({ dir, port: await freePort(), persistent: false });
  return {
    server: pg.url,
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const phone = (i: number) => `+55119${String(10000000 + i).padStart(8, "0")}`;

async function instanceRow(core: CoreContext, simUrl: string, ratePerSecond: number) {
  const [row] = await core.db
    .insert(serviceInstances)
    .values({
      name: `bench ${ratePerSecond}`,
      provider: "META",
      config: { phoneNumberId: "109876543210987", baseUrl: simUrl },
      secrets: encryptJson(core.config.encryptionKey, { accessToken: "t", appSecret: "s" }),
      sendRatePerSecond: ratePerSecond,
      nextSendAt: new Date(0),
    })
    .returning();
  if (!row) throw new Error("instance insert failed");
  return row;
}

async function campaignWith(
  core: CoreContext,
  actor: { id: string; role: "ADMIN"; name: string },
  instanceId: string,
  templateId: string,
  count: number,
  pace: number,
) {
  const campaign = await createCampaign(core, actor, {
    name: `bench ${pace}`,
    instanceId,
    templateId,
    variableMapping: { "1": "text:Maria", "2": "text:#4521" },
    audience: { kind: "csv" },
    pacePerMinute: pace,
  });
  for (let i = 0; i < count; i += 5000) {
    const chunk = Array.from({ length: Math.min(5000, count - i) }, (_, k) => ({
      campaignId: campaign.id,
      phone: phone(i + k),
      variables: { "1": "Maria", "2": "#4521" },
    }));
    await core.db.insert(campaignRecipients).values(chunk);
  }
  return campaign;
}

async function main() {
  const db = await database();
  const url = await createTemplateDatabase(db.server);
  const sim = await startSimulator({ autoStatuses: false });
  const config: CoreConfig = {
    sessionIdleTimeoutSeconds: 3600,
    encryptionKey: Buffer.alloc(32, 9),
    storagePath: mkdtempSync(join(tmpdir(), "elsehu-bench-storage-")),
    conversationTtlSeconds: 86400,
    defaultRegion: "BR",
    timezone: "America/Sao_Paulo",
    allowPrivateProviderUrls: true,
  };
  const database_ = connect(url, { max: 6 });
  const core = createCoreContext(database_, log, config);
  const user = await createUser(core, null, {
    name: "Bench",
    email: "bench@test.local",
    password: "correct horse battery",
    role: "ADMIN",
  });
  const actor = { id: user.id, role: "ADMIN" as const, name: user.name };
  const template = await createTemplate(core, actor, {
    name: "bench",
    body: "Olá {{1}}, seu pedido {{2}} saiu para entrega.",
    meta: {
      name: "pedido_atualizacao",
      language: "pt_BR",
      components: [
        {
          type: "body",
          parameters: [
            { type: "text", text: "{{1}}" },
            { type: "text", text: "{{2}}" },
          ],
        },
      ],
    },
  });
  const tplRow = (await core.db.select().from(templates)).find((t) => t.id === template.id);
  if (!tplRow) throw new Error("template missing");

  // Baseline: bare loops, same adapter, same simulator, same calls in flight.
  const adapter = createProvider("META", {
    phoneNumberId: "109876543210987",
    accessToken: "t",
    appSecret: "s",
    baseUrl: sim.url,
  });
  const input = templateInput(tplRow, { "1": "Maria", "2": "#4521" });
  // Warm up the simulator, the adapter and the JIT so neither side pays for it.
  for (let i = 0; i < 300; i++) await adapter.sendTemplate(phone(i), input);
  sim.reset();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      for (let i = next++; i < SIZE; i = next++) await adapter.sendTemplate(phone(i), input);
    }),
  );
  const baseline = SIZE / ((performance.now() - t0) / 1000);
  sim.reset();

  const worker = await startWorker({ databaseUrl: url, log, config, pollIntervalMs: 100, cron: false, concurrency: 4 });
  const fast = await instanceRow(core, sim.url, 1_000_000);
  const campaign = await campaignWith(core, actor, fast.id, template.id, SIZE, 0);
  const t1 = performance.now();
  await startCampaign(core, actor, campaign.id);
  for (;;) {
    const [c] = await core.sql`select status from campaigns where id = ${campaign.id}`;
    if (c?.status === "COMPLETED") break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const elapsed = (performance.now() - t1) / 1000;
  const msgsPerS = SIZE / elapsed;
  const sent = sim.sentMessages().length;
  const distinct = new Set(sim.sentMessages().map((m) => m.to)).size;
  console.error(`throughput: ${sent} sent (${distinct} distinct) in ${elapsed.toFixed(2)} s`);
  sim.reset();

  // Pacing: 600/min, counted over PACING_SECONDS after the first send.
  const paced = await instanceRow(core, sim.url, 80);
  const expected = (600 / 60) * PACING_SECONDS;
  const pacedCampaign = await campaignWith(core, actor, paced.id, template.id, expected + 200, 600);
  await startCampaign(core, actor, pacedCampaign.id);
  while (sim.sentMessages().length === 0) await new Promise((r) => setTimeout(r, 5));
  const firstAt = sim.sentMessages()[0]?.at.getTime() ?? Date.now();
  await new Promise((r) => setTimeout(r, PACING_SECONDS * 1000 - (Date.now() - firstAt) + 50));
  const inWindow = sim.sentMessages().filter((m) => m.at.getTime() < firstAt + PACING_SECONDS * 1000).length;
  const pacingError = (Math.abs(inWindow - expected) / expected) * 100;
  console.error(`pacing: ${inWindow} sends in ${PACING_SECONDS} s at 600/min (expected ${expected})`);

  await worker.stop();
  await sim.close();
  await database_.close();
  await dropDatabase(url);
  await db.stop();
  const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
  console.log(
    JSON.stringify({
      name: "campaign",
      msgs_per_s: round(msgsPerS),
      baseline_msgs_per_s: round(baseline),
      ratio: round(msgsPerS / baseline, 3),
      pacing_error_pct: round(pacingError, 2),
    }),
  );
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
