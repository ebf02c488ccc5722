import { metaInstance, orderTemplate, type Stack, startStack, userWithToken } from "@elsehu/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/router";
import { writeResult } from "./cluster/results";
import { arrive, makeContact, makeInstance } from "./conversation-fixtures";

/**
 * Every tRPC query and mutation, called over real HTTP as an ADMIN with
 * arbitrary inputs (random JSON, and objects built from the field names our
 * procedures use, sometimes carrying real ids): the answer is never a 500, and
 * a refused call changes no row.
 */

// Would end the fuzzer's own session.
const SKIP = new Set(["auth.logout"]);
const FIELDS = [
  "id",
  "name",
  "email",
  "password",
  "role",
  "body",
  "instanceId",
  "templateId",
  "campaignId",
  "conversationId",
  "operatorId",
  "userId",
  "from",
  "to",
  "limit",
  "cursor",
  "search",
  "status",
  "tags",
  "audience",
  "variableMapping",
  "pacePerMinute",
  "window",
  "meta",
  "samples",
  "lastEventId",
  "tabulationId",
  "maxConcurrent",
  "active",
  "kind",
  "force",
  "reason",
  "currentPassword",
  "newPassword",
  "startAt",
  "timezone",
  "dailyCap",
  "jitterPct",
  "sessionId",
  "groupBy",
  "page",
  "pageSize",
  "sort",
  "note",
  "match",
  "components",
  "language",
];

let stack: Stack;
let token = "";
const tally = { calls: 0, serverErrors: 0, partialWrites: 0, refused: 0 };
const realIds: string[] = [];

beforeAll(async () => {
  stack = await startStack({
    worker: false,
    api: { rateLimits: { userPerMinute: 1_000_000, ipPerMinute: 1_000_000, webhookPerMinute: 1_000_000 } },
  });
  const admin = await userWithToken(stack, "ADMIN");
  token = admin.token;
  const operator = await userWithToken(stack, "OPERATOR");
  const actor = { id: admin.user.id, role: "ADMIN" as const, name: admin.user.name };
  const template = await orderTemplate(stack.core, actor);
  const instance = await metaInstance(stack.core, "http://127.0.0.1:9");
  const convInstance = await makeInstance(stack.core);
  const contact = await makeContact(stack.core);
  const { conversation } = await arrive(stack.core, contact.id, convInstance.id);
  realIds.push(operator.user.id, template.id, instance.id, conversation.id, contact.id);
});
afterAll(async () => {
  writeResult({
    scenario: "fuzz-trpc",
    title: "tRPC inputs fuzzed over HTTP as ADMIN (every query and mutation)",
    promise: "never a 500; a refused call writes nothing",
    lost: 0,
    duplicated: 0,
    recoveryMs: null,
    violations: tally.serverErrors + tally.partialWrites,
    details: { procedures: procedures.length, ...tally },
  });
  await stack?.close();
});

const COUNTED = [
  "users",
  "sessions",
  "templates",
  "campaigns",
  "campaign_recipients",
  "tabulations",
  "conversations",
  "messages",
  "contacts",
  "service_instances",
  "imports",
  "audit_log",
];
async function rowCounts(): Promise<string> {
  const parts = COUNTED.map((t) => `(select count(*) from ${t})`).join(" || ',' || ");
  const [row] = await stack.core.sql.unsafe<{ c: string }[]>(`select ${parts} as c`);
  return row?.c ?? "";
}

const scalar = fc.oneof(
  fc.jsonValue({ maxDepth: 1 }),
  fc.constantFrom(...["", " ", "0", "-1", "1e309", "NaN", "null", "__proto__", "2026-13-45", "x".repeat(5000)]),
  fc.integer(),
  fc.double(),
  fc.uuid(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.nat({ max: 50 }).map((i) => realIds[i % Math.max(realIds.length, 1)] ?? ""),
);
const shaped = fc.dictionary(
  fc.constantFrom(...FIELDS),
  fc.oneof(
    scalar,
    fc.array(scalar, { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }),
  ),
  { maxKeys: 6 },
);
const input = fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }), shaped, shaped);

async function call(path: string, type: string, value: unknown): Promise<{ status: number; code?: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  const res =
    type === "query"
      ? await fetch(
          `${stack.url}/trpc/${path}${value === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(value))}`}`,
          { headers },
        )
      : await fetch(`${stack.url}/trpc/${path}`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: value === undefined ? undefined : JSON.stringify(value),
        });
  const body = (await res.json().catch(() => null)) as { error?: { data?: { code?: string } } } | null;
  return { status: res.status, code: body?.error?.data?.code };
}

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
  .filter(([path, p]) => p._def.type !== "subscription" && !SKIP.has(path))
  .sort(([a], [b]) => a.localeCompare(b));

describe("tRPC inputs fuzzed over HTTP (fast-check)", () => {
  for (const [path, proc] of procedures) {
    it(`${path}: never a 500, never a partial write`, async () => {
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          const before = proc._def.type === "mutation" ? await rowCounts() : "";
          const res = await call(path, proc._def.type, value);
          tally.calls++;
          if (res.status >= 500) tally.serverErrors++;
          if (res.status >= 400) tally.refused++;
          const after = proc._def.type === "mutation" && res.status >= 400 ? await rowCounts() : before;
          if (after !== before) tally.partialWrites++;
          expect(res.status, `${path} ${JSON.stringify(value)?.slice(0, 300)}`).toBeLessThan(500);
          expect(res.code).not.toBe("INTERNAL_SERVER_ERROR");
          expect(after).toBe(before);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 40), seed: Number(process.env.FUZZ_SEED ?? 20260501) },
      );
    });
  }
});
