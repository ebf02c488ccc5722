import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { outcome, type Row, readResults, readRun } from "./reliability-outcome";

/**
 * Regenerates docs/reliability.md from the last test run (run `pnpm test` or
 * `pnpm test:cluster` first): the measured results the cluster and fuzz suites
 * leave in test-artifacts/reliability/*.json and vitest's JSON report of which
 * test files passed, merged with the catalog of promised scenarios.
 */

const CATALOG: Row[] = [
  {
    id: "worker-kill-campaign",
    group: "Faults",
    title: "SIGKILL a worker mid-campaign, start a new one",
    promise: "no recipient sent twice; every recipient in a terminal state; the campaign completes",
    test: "apps/api/test/cluster/worker-kill.test.ts",
    files: ["apps/api/test/cluster/worker-kill.test.ts"],
  },
  {
    id: "worker-kill-import",
    group: "Faults",
    title: "SIGKILL a worker mid CSV import, start a new one",
    promise: "import counts exact; no row imported twice or lost",
    test: "apps/api/test/cluster/pipeline-faults.test.ts",
    files: ["apps/api/test/cluster/pipeline-faults.test.ts"],
  },
  {
    id: "api-kill-operators",
    group: "Faults",
    title: "SIGKILL an API process with operators connected",
    promise:
      "clients reconnect to the other process and catch up on every missed event; presence and assignments stay right",
    test: "apps/api/test/cluster/api-kill.test.ts",
    files: ["apps/api/test/cluster/api-kill.test.ts"],
  },
  {
    id: "postgres-restart",
    group: "Faults",
    title: "Restart Postgres under load",
    promise:
      "every process reconnects by itself; calls during the outage fail fast (503); campaign completes with no double send; realtime resumes",
    test: "apps/api/test/cluster/postgres-restart.test.ts",
    files: ["apps/api/test/cluster/postgres-restart.test.ts"],
  },
  {
    id: "postgres-restart-webhooks",
    group: "Faults",
    title: "Webhooks during the Postgres outage",
    promise: "refused (provider retries) or kept; never acknowledged and lost",
    test: "apps/api/test/cluster/postgres-restart-webhooks.test.ts",
    files: ["apps/api/test/cluster/postgres-restart-webhooks.test.ts"],
  },
  {
    id: "postgres-restart-repeated",
    group: "Faults",
    title: "Restart Postgres 3 times under load, same processes",
    promise:
      "after every restart each component comes back by itself (APIs, webhooks, sends, realtime with LISTEN re-established and missed events replayed, assignment, every worker's runner and heartbeat, cron, presence); acknowledged webhooks become messages exactly once; no double send; no event twice",
    test: "apps/api/test/cluster/postgres-restart-repeated.test.ts",
    files: ["apps/api/test/cluster/postgres-restart-repeated.test.ts"],
  },
  {
    id: "provider-errors",
    group: "Faults",
    title: "Provider answers 429, 5xx and timeouts for a while (messages.send)",
    promise:
      "sends back off and complete; nothing marked sent that was not; no duplicate send (a resend after a timeout is counted: it could duplicate with a real provider)",
    test: "apps/api/test/cluster/pipeline-faults.test.ts; campaign sends: apps/api/test/campaign-dispatch.test.ts",
    files: ["apps/api/test/cluster/pipeline-faults.test.ts", "apps/api/test/campaign-dispatch.test.ts"],
  },
  {
    id: "webhook-duplicates",
    group: "Faults",
    title: "Same webhook many times, concurrently, to both API processes",
    promise: "one message per provider id, one conversation per contact, message.created pushed once",
    test: "apps/api/test/cluster/pipeline-faults.test.ts",
    files: ["apps/api/test/cluster/pipeline-faults.test.ts"],
  },
  {
    id: "graceful-api",
    group: "Faults",
    title: "SIGTERM an API process",
    promise:
      "request in flight completes; sockets told to reconnect, move to the other process without missing an event",
    test: "apps/api/test/cluster/graceful-shutdown.test.ts",
    files: ["apps/api/test/cluster/graceful-shutdown.test.ts"],
  },
  {
    id: "graceful-worker",
    group: "Faults",
    title: "SIGTERM a worker during a campaign tick",
    promise: "the tick finishes or is returned; nothing left SENDING/UNKNOWN; nothing sent twice",
    test: "apps/api/test/cluster/graceful-shutdown.test.ts",
    files: ["apps/api/test/cluster/graceful-shutdown.test.ts"],
  },
  {
    id: "fuzz-webhook-parsers",
    group: "Bad input",
    title: "Webhook parsers with mutated fixture payloads (fast-check)",
    promise: "events or WebhookParseError, never another error",
    test: "packages/providers/test/webhook-fuzz.test.ts",
    files: ["packages/providers/test/webhook-fuzz.test.ts"],
  },
  {
    id: "fuzz-trpc",
    group: "Bad input",
    title: "tRPC inputs fuzzed over HTTP",
    promise: "never a 500; a refused call writes nothing",
    test: "apps/api/test/trpc-fuzz.test.ts",
    files: ["apps/api/test/trpc-fuzz.test.ts"],
  },
  {
    id: "fuzz-csv-import",
    group: "Bad input",
    title: "CSV importer with mutated files",
    promise:
      "COMPLETED or FAILED with a clear reason; every row accounted for (read = imported + updated + invalid, one error row per invalid); never a 500 or a stuck RUNNING import",
    test: "apps/api/test/csv-import-fuzz.test.ts",
    files: ["apps/api/test/csv-import-fuzz.test.ts"],
  },
  {
    id: "isolation",
    group: "Security",
    title: "No access across operators (procedures, guessed ids, downloads)",
    promise: "another operator's conversation, messages and reports are never returned",
    test: "apps/api/test/security-access.test.ts, conversations-isolation.test.ts, role-matrix.test.ts",
    files: [
      "apps/api/test/security-access.test.ts",
      "apps/api/test/conversations-isolation.test.ts",
      "apps/api/test/role-matrix.test.ts",
    ],
  },
  {
    id: "cross-site",
    group: "Security",
    title: "Cookie-authenticated mutation from a foreign Origin",
    promise: "refused (FORBIDDEN)",
    test: "apps/api/test/auth-login.test.ts",
    files: ["apps/api/test/auth-login.test.ts"],
  },
  {
    id: "safe-downloads",
    group: "Security",
    title: "Downloads served safely",
    promise:
      "text/csv, nosniff, attachment disposition; media: 401 anonymous, 403 another operator, only raster images/audio/video inline, sandbox CSP",
    test: "apps/api/test/security-access.test.ts, security-pipeline.test.ts, pipeline-meta.test.ts",
    files: [
      "apps/api/test/security-access.test.ts",
      "apps/api/test/security-pipeline.test.ts",
      "apps/api/test/pipeline-meta.test.ts",
    ],
  },
  {
    id: "provider-urls",
    group: "Security",
    title: "Admin-supplied provider URLs",
    promise:
      "only http(s) accepted; file:, javascript:, ftp:, data: refused with 400 naming baseUrl (create and update)",
    test: "apps/api/test/security-pipeline.test.ts, instances.test.ts",
    files: ["apps/api/test/security-pipeline.test.ts", "apps/api/test/instances.test.ts"],
  },
  {
    id: "log-secrets",
    group: "Security",
    title: "Log scan of a full flow at LOG_LEVEL=debug",
    promise:
      "no password, session token, access token, app secret, verify token, API key, webhook secret or encryption key in any log (instances created through the API, webhooks, sends, campaign)",
    test: "apps/api/test/cluster/log-secrets.test.ts",
    files: ["apps/api/test/cluster/log-secrets.test.ts"],
  },
];

const ROOT = resolve(import.meta.dirname, "..");
const results = readResults(join(ROOT, "test-artifacts", "reliability"));
const run = readRun(join(ROOT, "test-artifacts", "vitest-results.json"), ROOT);
const cell = (s: string) => s.replaceAll("|", "\\|");

const lines = [
  "# Reliability and scale-out proof",
  "",
  "Generated by `pnpm reliability:report` from the last test run: `test-artifacts/reliability/*.json`, which the",
  "cluster suite (`pnpm test:cluster`, part of `pnpm test`) and the fuzz suite write, and vitest's JSON report",
  "(`test-artifacts/vitest-results.json`). A scenario passes only when every test of its files passed in that run",
  'and its numbers broke no promise; a file that did not run shows "not run". Do not edit by hand.',
  "",
  "The cluster harness (`apps/api/test/cluster/harness.ts`) starts real processes — 2 × `apps/api/src/main.ts`",
  "and 2 × `apps/worker/src/main.ts` (`node --import tsx`) — on one Postgres, with the provider simulator in the",
  "test process, operators' WebSocket clients spread over both APIs (failover to the next URL, resuming with",
  "`lastEventId`) and a campaign running. Every process's log is kept under `test-artifacts/cluster/`.",
  "",
  "*lost*: recipients/events that should have been delivered or accounted for and were not (including rows",
  "marked sent that the provider never got); *duplicated*: delivered more than once; *recovery*: from the fault",
  "to service again (first send by a survivor, sockets reopened on the other process, or `/readyz` green).",
  "A recipient the provider may or may not have received when its worker died mid-call is `UNKNOWN` — accounted",
  "for, never retried (see packages/core/src/campaigns/README.md).",
  "",
];
for (const group of ["Faults", "Bad input", "Security"]) {
  lines.push(`## ${group}`, "", "| scenario | promise | result | status | test |", "|---|---|---|---|---|");
  for (const row of CATALOG.filter((r) => r.group === group)) {
    const o = outcome(row, results.get(row.id), run);
    lines.push(
      `| ${cell(row.title)} | ${cell(row.promise)} | ${cell(o.result)} | ${cell(o.status)} | ${cell(row.test)} |`,
    );
  }
  lines.push("");
}
const measured = [...results.values()].sort((a, b) => a.scenario.localeCompare(b.scenario));
if (measured.length > 0) {
  lines.push("## Measurement details", "");
  for (const r of measured) {
    lines.push(`- **${r.scenario}** (${r.measuredAt}): \`${JSON.stringify(r.details)}\``);
  }
  lines.push("");
}
writeFileSync(join(ROOT, "docs", "reliability.md"), lines.join("\n"));
console.log(`docs/reliability.md: ${CATALOG.length} scenarios, ${measured.length} measured`);
