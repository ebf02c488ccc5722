import { connect as connectTcp } from "node:net";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiToken } from "./public-api-helpers";

/*
 * The CSV export streams a COPY through a reserved connection. What can go wrong there only shows with
 * volume: a reader slower than Postgres, or a reader who leaves midway. The API runs with a pool of two
 * connections, so one left stuck by an export would stop the requests that follow.
 */
const ROWS = 20_000;
/** The API ends a download whose client takes no chunk for this long (EXPORT_STALL_TIMEOUT). */
const STALL_MS = 1_000;
let stack: Stack;
let token: string;
const BIG_ROWS = 120_000;
const url = () => `${stack.url}/reports/finished.csv?from=2025-03-10&to=2025-03-10`;

beforeAll(async () => {
  stack = await startStack({ worker: false, api: { dbPoolMax: 2, exportStallMs: STALL_MS } });
  token = (await userWithToken(stack, "SUPERVISOR")).token;
  const sql = stack.core.sql;
  const [inst] = await sql`insert into service_instances (name, provider, secrets)
    values ('Loja', 'META', 'x') returning id`;
  const [ct] = await sql`insert into contacts (phone, phone_key, name, search_text)
    values ('+5511900000001', '+5511900000001', 'Cliente', 'cliente 5511900000001') returning id`;
  await sql`insert into conversations (contact_id, instance_id, status, created_at, queued_at, first_assigned_at,
      closed_at)
    select ${String(ct?.id)}, ${String(inst?.id)}, 'CLOSED', t, t, t + interval '1 minute', t + interval '5 minutes'
    from (select '2025-03-10T03:00:00Z'::timestamptz + g * interval '1 second' as t
          from generate_series(1, ${ROWS}) g) x`;
  // A second day, big enough (~20 MB of CSV) that a reader who stops leaves the COPY blocked: more than the
  // socket buffers between Postgres, the API and the client hold.
  await sql`insert into conversations (contact_id, instance_id, status, created_at, queued_at, first_assigned_at,
      closed_at)
    select ${String(ct?.id)}, ${String(inst?.id)}, 'CLOSED', t, t, t + interval '1 minute', t + interval '5 minutes'
    from (select '2025-03-12T03:00:00Z'::timestamptz + g * interval '100 milliseconds' as t
          from generate_series(1, ${BIG_ROWS}) g) x`;
});

afterAll(async () => {
  await stack?.close();
});

/** The API's connections running a COPY (a parallel plan's workers show the same query: not counted). */
async function activeCopies(): Promise<number> {
  const [row] = await stack.core.sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
    where datname = current_database() and query ilike 'copy (%' and state = 'active'
      and backend_type = 'client backend'`;
  return row?.n ?? -1;
}

async function download(opts: { pauseMs?: number; stopAfterChunks?: number } = {}): Promise<string[]> {
  const res = await fetch(url(), { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const reader = res.body?.getReader();
  if (!reader) throw new Error("no body");
  const decoder = new TextDecoder();
  let text = "";
  for (let chunks = 0; ; chunks++) {
    if (chunks === opts.stopAfterChunks) {
      await reader.cancel();
      break;
    }
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
  }
  return text.trimEnd().split("\r\n");
}

/**
 * A client that sends its request for the big day's CSV at `path` and never reads: the API must give up on it,
 * end the COPY and free its connection; reading again, the client finds the download cut short.
 */
async function stalledDownload(path: string, bearer: string) {
  // A client that sends its request and never reads: its socket's buffers fill, then the API's, then the COPY
  // blocks on Postgres's side.
  const socket = connectTcp({ host: "127.0.0.1", port: stack.api.port });
  socket.pause();
  const chunks: Buffer[] = [];
  socket.on("data", (c: Buffer) => chunks.push(c));
  let closed = false;
  socket.on("close", () => {
    closed = true;
  });
  socket.on("error", () => {});
  socket.write(
    `GET ${path}?from=2025-03-12&to=2025-03-12 HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      `Authorization: Bearer ${bearer}\r\n\r\n`,
  );
  const started = Date.now() + 20_000;
  while ((await activeCopies()) !== 1 && Date.now() < started) await new Promise((r) => setTimeout(r, 50));
  expect(await activeCopies()).toBe(1);
  // The API gives up on the reader: the COPY ends and its connection goes back to the pool.
  const deadline = Date.now() + 20_000;
  while ((await activeCopies()) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await activeCopies()).toBe(0);
  // The client, reading again, finds the download cut short: the connection closes without the last chunk.
  socket.resume();
  const end = Date.now() + 20_000;
  while (!closed && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  expect(closed).toBe(true);
  const text = Buffer.concat(chunks).toString("utf8");
  expect(text.startsWith("HTTP/1.1 200")).toBe(true);
  expect(text.endsWith("\r\n0\r\n\r\n")).toBe(false);
  expect(text.length).toBeLessThan(BIG_ROWS * 100);
}

describe("CSV export under volume", () => {
  // First, while the pool's connections are fresh: their socket buffers have not grown on earlier downloads.
  it("ends the download of a client that stays connected but stops reading, and frees its connection", async () => {
    await stalledDownload("/reports/finished.csv", token);
    // The pool of two serves the next downloads.
    expect(await download()).toHaveLength(ROWS + 1);
    expect(await download()).toHaveLength(ROWS + 1);
  });

  it("ends a public API (/api/v1) download whose client stops reading, and frees its connection", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const { token: apiKey } = await apiToken(admin, ["reports:read"]);
    await stalledDownload("/api/v1/reports/finished.csv", apiKey);
    expect(await download()).toHaveLength(ROWS + 1);
  });

  it("delivers every row to a reader slower than the database, then serves the next download", async () => {
    const slow = await download({ pauseMs: 5 });
    expect(slow).toHaveLength(ROWS + 1);
    expect(slow[ROWS]).toContain(",CLOSED,Cliente,+5511900000001,");
    expect(await download()).toHaveLength(ROWS + 1);
  });

  it("frees the connection of a download abandoned midway", async () => {
    for (let i = 0; i < 3; i++) {
      const partial = await download({ stopAfterChunks: 3 });
      expect(partial.length).toBeLessThan(ROWS);
    }
    expect(await download()).toHaveLength(ROWS + 1);
    // The cancel of an abandoned COPY is asynchronous: its backend must go idle soon, not necessarily at once.
    const deadline = Date.now() + 10_000;
    while ((await activeCopies()) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await activeCopies()).toBe(0);
  });
});
