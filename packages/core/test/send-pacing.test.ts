import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reserveSendSlotFor } from "../src/messages/send-pacing";
import { type CoreFixture, startCoreFixture } from "./core-fixture";

let fx: CoreFixture;

beforeAll(async () => {
  fx = await startCoreFixture("pacing");
});
afterAll(async () => {
  await fx?.close();
});

/** A queued message on the fixture's Meta number (the pace is the number's). */
async function queuedMessage(): Promise<string> {
  const [c] = await fx.core.sql<{ id: string }[]>`
    insert into contacts (phone, phone_key) values ('+5511970009999', '5511970009999')
    on conflict (phone_key) do update set phone = excluded.phone returning id`;
  const [conv] = await fx.core.sql<{ id: string }[]>`
    insert into conversations (contact_id, instance_id, status) values (${c?.id ?? ""}, ${fx.meta.id}, 'CLOSED') returning id`;
  const [m] = await fx.core.sql<{ id: string }[]>`
    insert into messages (conversation_id, instance_id, direction, type, body, status)
    values (${conv?.id ?? ""}, ${fx.meta.id}, 'OUT', 'text', 'oi', 'QUEUED') returning id`;
  return m?.id ?? "";
}

describe("send pace", () => {
  it("gives slots 1/rate apart, and takes none beyond the longest wait: later sends keep the slots before it", async () => {
    await fx.core
      .sql`update service_instances set send_rate_per_second = 2, next_send_at = now() where id = ${fx.meta.id}`;
    const id = await queuedMessage();
    const slots = [];
    for (let i = 0; i < 4; i++) slots.push(await reserveSendSlotFor(fx.core, id, 1_000));
    expect(slots.map((s) => s?.reserved)).toEqual([true, true, true, false]);
    // 0, 0.5, 1 s away: the fourth (1.5 s) is beyond the 1 s allowed, and is told how far it is.
    expect(slots[2]?.waitMs).toBeGreaterThan(800);
    expect(slots[3]?.waitMs).toBeGreaterThan(1_300);
    const [{ ahead } = { ahead: 0 }] = await fx.core.sql<{ ahead: number }[]>`
      select extract(epoch from next_send_at - now())::float8 as ahead from service_instances where id = ${fx.meta.id}`;
    // Three slots taken (1.5 s of pace), not four: the refused one cost nothing.
    expect(ahead).toBeLessThan(1.6);
    expect(ahead).toBeGreaterThan(1.2);
    expect(await reserveSendSlotFor(fx.core, "00000000-0000-4000-8000-000000000000", 1_000)).toBeNull();
  });
});
