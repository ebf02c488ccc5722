import { randomUUID } from "node:crypto";
import { WebhookWriter } from "@elsehu/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metaInboundRaw } from "./cluster/pipeline-flow";
import { META_PNID, type Pipeline, startPipeline, until } from "./pipeline-helpers";

let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline();
});
afterAll(async () => {
  await p.close();
});

const unprocessed = async () => {
  const [r] = await p.stack.core.sql<{ n: number }[]>`
    select count(*)::int as n from webhook_events where processed_at is null`;
  return r?.n === 0;
};

describe("webhook bursts (acknowledgements share one write)", () => {
  it("acknowledges 120 concurrent webhooks from 40 customers and turns each into exactly one message", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        p.sim.injectInbound("META", {
          from: `+55119${String(70000000 + (i % 40)).padStart(8, "0")}`,
          body: `rajada ${i}`,
          id: `wamid.BURST${i}`,
        }),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    await until(unprocessed, 30_000);
    const [m] = await p.stack.core.sql<{ n: number; distinct: number }[]>`
      select count(*)::int as n, count(distinct provider_message_id)::int as distinct
      from messages where provider_message_id like 'wamid.BURST%'`;
    expect(m).toEqual({ n: 120, distinct: 120 });
    const [c] = await p.stack.core.sql<{ n: number }[]>`
      select count(*)::int as n from conversations c join contacts ct on ct.id = c.contact_id
      where ct.phone like '+5511970%'`;
    expect(c?.n).toBe(40);
  });

  it("stores one message when the same webhook arrives 20 times at once", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        p.sim.injectInbound("META", { from: "+5511970009999", body: "repetida", id: "wamid.SAME20" }),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    await until(unprocessed, 30_000);
    const rows = await p.stack.core.sql`select id from messages where provider_message_id = 'wamid.SAME20'`;
    expect(rows).toHaveLength(1);
  });

  it("refuses only the body that cannot be stored; its neighbours in the same write are kept and processed", async () => {
    const writer = new WebhookWriter(p.stack.core.sql, { maxBatch: 50, maxInFlight: 1 });
    const number = { id: p.meta.id, phoneNumberId: META_PNID, appSecret: "" };
    const body = (n: number) =>
      metaInboundRaw(number, {
        from: `55119700${String(n).padStart(5, "0")}`,
        id: `wamid.NEIGHBOUR${n}`,
        body: `vizinho ${n}`,
      });
    // An instance deleted a moment ago (the route's directory cache may still know it): no row to reference.
    const results = await Promise.allSettled(
      Array.from({ length: 9 }, (_, n) =>
        writer.store({
          instanceId: n === 4 ? randomUUID() : p.meta.id,
          provider: "META",
          body: body(n),
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    await until(unprocessed, 30_000);
    const rows = await p.stack.core.sql<{ provider_message_id: string }[]>`
      select provider_message_id from messages where provider_message_id like 'wamid.NEIGHBOUR%'
      order by provider_message_id`;
    expect(rows.map((r) => r.provider_message_id)).toEqual([0, 1, 2, 3, 5, 6, 7, 8].map((n) => `wamid.NEIGHBOUR${n}`));
  });
});
