import { type Stack, silentLog, startStack, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHandle, startApi } from "../src/server";
import { answerTo, rawSocket, until } from "./ws-raw";

/*
 * Issue 15, item 6, with the API run as several replicas behind a load balancer: the per-user socket
 * cap (WS_MAX_SOCKETS_PER_USER) weighs the user's sockets on every live API process, so spreading
 * devices over replicas does not multiply it. A replica that stopped beating no longer counts.
 */
const SOCKETS = 3;
let stack: Stack;
let other: ApiHandle;

beforeAll(async () => {
  stack = await startStack({ worker: false, api: { wsLimits: { socketsPerUser: SOCKETS } } });
  other = await startApi({
    databaseUrl: stack.databaseUrl,
    port: 0,
    log: silentLog,
    config: stack.config,
    wsLimits: { socketsPerUser: SOCKETS },
  });
});
afterAll(async () => {
  await other?.close();
  await stack?.close();
});

/** A socket that answered `auth.me`: signed in and counted. */
async function liveSocket(url: string, token: string) {
  const s = await rawSocket(url, token);
  s.call(1, "query", "auth.me");
  expect(await answerTo(s, 1)).toMatchObject({ id: 1, result: {} });
  return s;
}

const presenceRows = async (userId: string) =>
  (
    await stack.core.sql<{ n: number }[]>`select count(*)::int as n from presence_connections where user_id = ${userId}`
  )[0]?.n ?? 0;

describe("the per-user socket cap across API replicas", () => {
  it("closes a socket on one replica when the user's sockets on the others fill the cap, and takes it once one frees", async () => {
    const op = await userWithToken(stack, "OPERATOR");
    const first = await liveSocket(stack.url, op.token);
    const second = await liveSocket(stack.url, op.token);
    const third = await liveSocket(other.url, op.token);
    await until(
      () => presenceRows(op.user.id),
      (n) => n === SOCKETS,
    );

    // A fourth device, on either replica: refused with the reason the console shows.
    for (const url of [other.url, stack.url]) {
      const extra = await rawSocket(url, op.token);
      extra.call(1, "query", "auth.me");
      expect(await extra.closed).toEqual({ code: 4029, reason: "TOO_MANY_SOCKETS" });
    }
    // Another user on the same replica is not affected.
    const colleague = await userWithToken(stack, "OPERATOR");
    const theirs = await liveSocket(other.url, colleague.token);

    // One device closes on the first replica: the second replica takes a new one.
    first.ws.close();
    await first.closed;
    await until(
      () => presenceRows(op.user.id),
      (n) => n < SOCKETS,
    );
    const again = await liveSocket(other.url, op.token);
    for (const s of [second, third, theirs, again]) s.ws.close();
  });

  it("stops counting the sockets of a replica whose heartbeat is stale", async () => {
    const op = await userWithToken(stack, "OPERATOR");
    const held = [];
    for (let i = 0; i < SOCKETS; i++) held.push(await liveSocket(other.url, op.token));
    await until(
      () => presenceRows(op.user.id),
      (n) => n === SOCKETS,
    );
    const refused = await rawSocket(stack.url, op.token);
    refused.call(1, "query", "auth.me");
    expect(await refused.closed).toEqual({ code: 4029, reason: "TOO_MANY_SOCKETS" });

    // The other replica stops beating, as a killed process would, and its last beat is a minute old.
    await other.presence.stopWithoutRetiring();
    await stack.core.sql`update api_nodes set heartbeat_at = now() - interval '60 seconds'
      where id = ${other.presence.nodeId}`;
    const taken = await liveSocket(stack.url, op.token);
    for (const s of [...held, taken]) s.ws.close();
  });
});
