import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, clusterUser, until } from "./harness";
import { clusterOnOwnPostgres } from "./own-postgres";
import {
  messagesOf,
  metaInboundRaw,
  metaNumberThroughApi,
  pool,
  postMetaRaw,
  unprocessedWebhooks,
} from "./pipeline-flow";
import { writeResult } from "./results";

let cluster: Cluster;
let own: Awaited<ReturnType<typeof clusterOnOwnPostgres>>;

beforeAll(async () => {
  own = await clusterOnOwnPostgres("pg-restart-webhooks");
  cluster = own.cluster;
}, 120_000);
afterAll(async () => {
  await own?.close();
});

describe("cluster: Postgres restarted while webhooks arrive", () => {
  it("webhooks during the outage are refused (and retried by the provider) or kept: none acknowledged and lost", async () => {
    const urls = cluster.apis.map((a) => a.url);
    const admin = await clusterUser(cluster, "ADMIN", urls[0] ?? "");
    const number = await metaNumberThroughApi(cluster, urls[0] ?? "", admin.token);
    const TOTAL = 150;
    const run = Date.now().toString(36);
    const messages = Array.from({ length: TOTAL }, (_, i) => ({
      from: `+55219${String(80_000_000 + (i % 30))}`,
      id: `wamid.PGR.${run}.${i}`,
      body: `mensagem ${i}`,
    }));
    const acked = new Set<string>();
    const refused: Record<string, number> = {};
    let firstAckAfterUp = 0;
    let upAt = 0;
    // Like a provider: every message is posted until some API answers 200, backing off on refusals.
    const deliver = (m: (typeof messages)[number], i: number) => async () => {
      const raw = metaInboundRaw(number, m);
      const deadline = Date.now() + 90_000;
      for (let attempt = 0; Date.now() < deadline; attempt++) {
        const status = await postMetaRaw(urls[(i + attempt) % urls.length] ?? "", number, raw, 5000);
        if (status === 200) {
          acked.add(m.id);
          if (upAt && !firstAckAfterUp) firstAckAfterUp = Date.now();
          await new Promise((r) => setTimeout(r, 40));
          return;
        }
        refused[status] = (refused[status] ?? 0) + 1;
        await new Promise((r) => setTimeout(r, Math.min(1000, 100 * 2 ** attempt)));
      }
    };
    const sending = pool(3, messages.map(deliver));
    await until(() => acked.size >= 30, 30_000, "first webhooks acknowledged");
    const ackedBeforeOutage = acked.size;
    await own.stopPostgres();
    await new Promise((r) => setTimeout(r, 1500));
    await own.startPostgres();
    upAt = Date.now();
    await sending;
    await until(async () => (await unprocessedWebhooks(cluster)) === 0, 60_000, "webhooks processed");
    const rows = await messagesOf(
      cluster,
      number.id,
      messages.map((m) => m.id),
    );
    const present = new Set(rows.map((r) => r.provider_message_id));
    const lostAcked = [...acked].filter((id) => !present.has(id));
    const duplicated = rows.length - present.size;
    const [contacts] = await cluster.core.sql<{ n: number }[]>`
      select count(distinct contact_id)::int as n from conversations where instance_id = ${number.id}`;

    writeResult({
      scenario: "postgres-restart-webhooks",
      title: "Webhooks during the Postgres outage",
      promise: "refused (provider retries) or kept; never acknowledged and lost",
      lost: lostAcked.length + (TOTAL - acked.size),
      duplicated,
      recoveryMs: firstAckAfterUp ? firstAckAfterUp - upAt : null,
      details: {
        webhooks: TOTAL,
        ackedBeforeOutage,
        acknowledged: acked.size,
        refusedAnswers: refused,
        messages: rows.length,
        contacts: contacts?.n,
        lostAcknowledged: lostAcked.length,
      },
    });
    expect(acked.size).toBe(TOTAL);
    expect(lostAcked).toEqual([]);
    expect(rows).toHaveLength(TOTAL);
    expect(duplicated).toBe(0);
    expect(contacts?.n).toBe(30);
    // The outage was seen: some posts were refused, with a 5xx (never a 200 that was then lost).
    const statuses = Object.keys(refused).map(Number);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 0 || s >= 500)).toBe(true);
  }, 180_000);
});
