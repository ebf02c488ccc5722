import type { StoredEvent } from "@elsehu/core";
import { describe, expect, it } from "vitest";
import { EventOrder, HOLE_GIVE_UP_MS } from "../src/realtime/event-order";

const ev = (id: number): StoredEvent => ({
  id,
  kind: "queue.changed",
  audience: "ALL",
  userId: null,
  payload: { waiting: 0, byDepartment: {} },
  createdAt: new Date(0),
});

function order(start: number) {
  let clock = 0;
  const out: number[] = [];
  const o = new EventOrder(
    start,
    (e) => out.push(e.id),
    () => clock,
  );
  return { o, out, advance: (ms: number) => (clock += ms) };
}

describe("realtime event order", () => {
  it("holds an event whose predecessor has not committed yet and delivers both in id order", () => {
    const { o, out } = order(99);
    o.offer([ev(101)]);
    expect(out).toEqual([]);
    expect(o.missing()).toEqual([100]);
    o.offer([ev(100)]);
    expect(out).toEqual([100, 101]);
    expect(o.hasHole()).toBe(false);
  });

  it("an event a slow gap check loads after another load delivered it is not delivered again", () => {
    const { o, out, advance } = order(99);
    o.offer([ev(101)]);
    const asked = o.missing();
    // While the gap check waits on the database, the NOTIFY batch brings the same row.
    o.offer([ev(100)]);
    advance(HOLE_GIVE_UP_MS * 2);
    o.offer(asked.map(ev));
    o.giveUpOldHole();
    o.offer([ev(102)]);
    expect(out).toEqual([100, 101, 102]);
    expect(o.position()).toBe(102);
  });

  it("gives up on an id that stays missing, and delivers it late, once, if it commits after all", () => {
    const { o, out, advance } = order(99);
    o.offer([ev(101)]);
    o.giveUpOldHole();
    expect(out).toEqual([]);
    advance(HOLE_GIVE_UP_MS + 1);
    o.giveUpOldHole();
    expect(out).toEqual([101]);
    o.offer([ev(100)]);
    o.offer([ev(100)]);
    expect(out).toEqual([101, 100]);
  });

  it("a gap check that finds the hole already filled changes nothing", () => {
    const { o, out, advance } = order(5);
    advance(HOLE_GIVE_UP_MS * 10);
    o.giveUpOldHole();
    expect(o.position()).toBe(5);
    expect(o.missing()).toEqual([]);
    expect(out).toEqual([]);
  });

  it("a burst of rolled-back ids costs one wait, not one wait per hole", () => {
    const { o, out, advance } = order(0);
    // 2, 4, 6 and 8 rolled back; the others committed together.
    o.offer([1, 3, 5, 7, 9].map(ev));
    expect(out).toEqual([1]);
    expect(o.missing()).toEqual([2, 4, 6, 8]);
    advance(HOLE_GIVE_UP_MS + 1);
    o.giveUpOldHole();
    expect(out).toEqual([1, 3, 5, 7, 9]);
    expect(o.hasHole()).toBe(false);
  });
});
