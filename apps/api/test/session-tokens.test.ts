import { createHash } from "node:crypto";
import { httpClient, type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import type { AppRouter } from "../src/router";

const MAX_AGE = 2 * 3600;
let stack: Stack;
beforeAll(async () => {
  // Idle timeout 1 h, absolute lifetime 2 h; no session cache, so every call asks Postgres.
  stack = await startStack({
    worker: false,
    config: { sessionIdleTimeoutSeconds: 3600, sessionMaxAgeSeconds: MAX_AGE },
    api: { sessionCache: { ttlMs: 0 }, sessionCheckMs: 200 },
  });
});
afterAll(async () => {
  await stack.close();
});

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (err: unknown) => (err instanceof TRPCClientError ? err.data?.code : String(err)),
  );

/** A tRPC client over a WebSocket opened the way a browser opens it: with its Origin and the cookie. */
function browserLikeSocket(url: string, headers: Record<string, string>) {
  class WithHeaders extends NodeWebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const ws = createWSClient({
    url: `${url.replace(/^http/, "ws")}/trpc`,
    retryDelayMs: () => 100,
    WebSocket: WithHeaders as unknown as typeof WebSocket,
  });
  return { client: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }), ws };
}

function endedReason(client: ReturnType<typeof wsClient>["client"]) {
  let started = () => {};
  const ready = new Promise<void>((r) => {
    started = r;
  });
  const reason = new Promise<string>((resolve) => {
    client.auth.onSessionEnded.subscribe(undefined, {
      onStarted: () => started(),
      onData: (d) => resolve(d.data.reason),
      onError: (err) => resolve(`error:${err.message}`),
    });
  });
  return { ready, reason };
}

describe("session tokens", () => {
  it("stores only the token's hash: no sessions row ever equals the token, and the token still signs in", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const rows = await stack.core.sql<{ id: string }[]>`select id from sessions where user_id = ${u.user.id}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).not.toBe(u.token);
    expect(rows[0]?.id).toBe(sha256(u.token));
    expect(await stack.core.sql`select 1 from sessions where id = ${u.token}`).toHaveLength(0);
    expect((await u.client.auth.me.query()).email).toBe(u.email);
    // What a leaked sessions table holds opens nothing.
    expect(await codeOf(httpClient(stack.url, rows[0]?.id).auth.me.query())).toBe("UNAUTHORIZED");
  });

  it("refuses a session older than SESSION_MAX_AGE although it is in use, and ends its socket", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const { client, ws } = wsClient(stack.url, u.token);
    const ended = endedReason(client);
    await ended.ready;
    // In use a minute ago (idle expiry an hour away), but opened longer ago than the absolute lifetime.
    await stack.core.sql`
      update sessions set created_at = now() - make_interval(secs => ${MAX_AGE + 60}), expires_at = now() + interval '59 minutes'
      where id = ${sha256(u.token)}`;
    expect(await ended.reason).toBe("expired");
    expect(await codeOf(u.client.auth.me.query())).toBe("UNAUTHORIZED");
    await ws.close();
  });

  it("never slides a session's expiry past its absolute end", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    // 30 minutes of life left, inside the second half of the idle timeout: lucia extends it on use.
    await stack.core.sql`
      update sessions set created_at = now() - make_interval(secs => ${MAX_AGE - 1800}), expires_at = now() + interval '20 minutes'
      where id = ${sha256(u.token)}`;
    const me = await u.client.auth.me.query();
    const [row] = await stack.core.sql<{ expires: number; ends: number }[]>`
      select (extract(epoch from expires_at) * 1000)::float8 as expires,
             (extract(epoch from created_at + make_interval(secs => ${MAX_AGE})) * 1000)::float8 as ends
      from sessions where id = ${sha256(u.token)}`;
    const ends = row?.ends ?? 0;
    // Extended (past its old 20 minutes), but only up to the absolute end.
    expect(row?.expires).toBeGreaterThan(Date.now() + 20 * 60_000);
    expect(row?.expires).toBeLessThanOrEqual(ends);
    expect(new Date(me.sessionExpiresAt).getTime()).toBeLessThanOrEqual(ends);
  });

  it("caps sessions per user (SESSION_MAX_PER_USER, 10): the 11th login ends the oldest, and tells its socket", async () => {
    const first = await userWithToken(stack, "OPERATOR");
    const { client, ws } = wsClient(stack.url, first.token);
    const ended = endedReason(client);
    await ended.ready;
    const logins: string[] = [];
    for (let i = 0; i < 10; i++) {
      logins.push(
        (await httpClient(stack.url).auth.login.mutate({ email: first.email, password: first.password })).token,
      );
    }
    expect(await ended.reason).toBe("session_limit");
    expect(await codeOf(first.client.auth.me.query())).toBe("UNAUTHORIZED");
    for (const token of logins) expect(await codeOf(httpClient(stack.url, token).auth.me.query())).toBe("OK");
    const [count] = await stack.core.sql<{ n: number }[]>`
      select count(*)::int as n from sessions where user_id = ${first.user.id}`;
    expect(count?.n).toBe(10);
    await ws.close();
  });
});

describe("the WebSocket authenticates with the cookie, from our own origin only", () => {
  it("accepts the session cookie on a same-origin upgrade (no token in connectionParams)", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const { client, ws } = browserLikeSocket(stack.url, {
      origin: stack.url,
      cookie: `elsehu_session=${u.token}`,
    });
    const ended = endedReason(client);
    await ended.ready;
    await u.client.auth.logout.mutate();
    expect(await ended.reason).toBe("logout");
    await ws.close();
  });

  it("refuses the upgrade from a foreign origin (cross-site WebSocket hijacking) with 403", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new NodeWebSocket(`${stack.url.replace(/^http/, "ws")}/trpc`, {
        headers: { origin: "https://evil.example", cookie: `elsehu_session=${u.token}` },
      });
      ws.on("unexpected-response", (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on("open", () => {
        ws.close();
        reject(new Error("a foreign origin opened a socket"));
      });
      ws.on("error", () => {});
    });
    expect(status).toBe(403);
  });
});
