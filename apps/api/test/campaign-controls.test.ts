import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import { metaInstance, orderTemplate, phones, type Stack, startStack, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A campaign as the console drives it: created, given its CSV audience and controlled over
 * tRPC/HTTP, sent by a running worker (dispatch ticks as graphile jobs) to the provider
 * simulator. Pause, resume and cancel, the send window and the daily cap are checked by
 * what reaches the customers' phones and what the campaign's stats say.
 */
let stack: Stack;
let sim: Simulator;
let admin: Awaited<ReturnType<typeof userWithToken>>;
let templateId: string;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  sim = await startSimulator({ statusDelayMs: 5 });
  admin = await userWithToken(stack, "ADMIN");
  templateId = (await orderTemplate(stack.core, { id: admin.user.id, role: "ADMIN", name: admin.user.name })).id;
});
afterAll(async () => {
  await sim.close();
  await stack.close();
});

let offset = 0;
/** A campaign made over the API, on a number of its own (the daily cap counts per number), with `n` recipients. */
async function campaign(
  n: number,
  opts: { pacePerMinute: number; window?: { start: string; end: string }; dailyCap?: number },
) {
  const instance = await metaInstance(stack.core, sim.url);
  const created = await admin.client.campaigns.create.mutate({
    name: `Controle ${++offset}`,
    instanceId: instance.id,
    templateId,
    variableMapping: { "1": "csv:nome", "2": "text:#77" },
    audience: { kind: "csv" },
    ...opts,
  });
  const list = phones(n, 9_100_000 + offset * 100);
  const csv = `telefone;nome\n${list.map((p, i) => `${p};Cliente ${i}`).join("\n")}\n`;
  const res = await fetch(`${stack.url}/uploads/campaign-csv?campaignId=${created.id}&fileName=lista.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin.token}`, "content-type": "text/csv" },
    body: csv,
  });
  expect(res.status).toBe(200);
  return { id: created.id, list };
}

/** How many of `list` the simulator received, i.e. what reached the customers. */
const received = (list: string[]) => sim.sentMessages().filter((m) => list.includes(`+${m.to}`)).length;
const stats = (id: string) => admin.client.campaigns.stats.query({ id });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The hour of the day in São Paulo now. */
function localHour(): number {
  return Number(
    new Intl.DateTimeFormat("en-GB", { hour: "2-digit", hourCycle: "h23", timeZone: "America/Sao_Paulo" }).format(
      new Date(),
    ),
  );
}

describe("campaign controls through the API and a running worker", () => {
  it("pause stops the sends, resume continues them, cancel ends the campaign and skips the rest", async () => {
    const c = await campaign(10, { pacePerMinute: 120 });
    await admin.client.campaigns.start.mutate({ id: c.id });
    await expect.poll(() => received(c.list)).toBeGreaterThanOrEqual(1);

    await admin.client.campaigns.pause.mutate({ id: c.id });
    expect((await stats(c.id)).status).toBe("PAUSED");
    await sleep(600); // a send already claimed when the pause came may still land
    const atPause = received(c.list);
    await sleep(2000); // four pace steps
    expect(received(c.list)).toBe(atPause);
    expect(atPause).toBeLessThan(10);

    await admin.client.campaigns.resume.mutate({ id: c.id });
    await expect.poll(() => received(c.list)).toBeGreaterThan(atPause);
    expect((await stats(c.id)).status).toBe("RUNNING");

    await admin.client.campaigns.cancel.mutate({ id: c.id });
    await sleep(600);
    const atCancel = received(c.list);
    await sleep(2000);
    expect(received(c.list)).toBe(atCancel);
    expect(atCancel).toBeLessThan(10);
    expect(await stats(c.id)).toMatchObject({ status: "CANCELLED", total: 10, pending: 0, skipped: 10 - atCancel });
  });

  it("sends nothing outside the send window, while a campaign inside its window sends", async () => {
    // A one-hour window twelve hours away from now (São Paulo), and a control open all day.
    const start = (localHour() + 12) % 24;
    const hh = (h: number) => String(h).padStart(2, "0");
    const closed = await campaign(2, {
      pacePerMinute: 0,
      window: { start: `${hh(start)}:00`, end: start === 23 ? "23:59" : `${hh(start + 1)}:00` },
    });
    const open = await campaign(2, { pacePerMinute: 0, window: { start: "00:00", end: "23:59" } });
    await admin.client.campaigns.start.mutate({ id: closed.id });
    await admin.client.campaigns.start.mutate({ id: open.id });

    await expect.poll(async () => (await stats(open.id)).status).toBe("COMPLETED");
    expect(received(open.list)).toBe(2);
    await sleep(1000);
    expect(received(closed.list)).toBe(0);
    expect(await stats(closed.id)).toMatchObject({ status: "RUNNING", pending: 2, sent: 0 });
  });

  it("stops at the daily cap and leaves the rest for the next day", async () => {
    const c = await campaign(5, { pacePerMinute: 0, dailyCap: 2 });
    await admin.client.campaigns.start.mutate({ id: c.id });
    await expect.poll(() => received(c.list)).toBe(2);
    await sleep(1500);
    expect(received(c.list)).toBe(2);
    expect(await stats(c.id)).toMatchObject({ status: "RUNNING", pending: 3 });
  });
});
