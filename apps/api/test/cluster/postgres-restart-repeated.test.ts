import { listCrontabs, uuidArray } from "@elsehu/core";
import { httpClient, metaInstance } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeInstance } from "../conversation-fixtures";
import { campaignOutcome, campaignThroughApi } from "./campaign-flow";
import { type Cluster, clusterUser, readLogs, until } from "./harness";
import { allAssigned, connectOperators, deliveryGaps, maxEventId, type Operator, openConversations } from "./operators";
import { clusterOnOwnPostgres, probe } from "./own-postgres";
import { messagesOf, metaNumberThroughApi, unprocessedWebhooks } from "./pipeline-flow";
import { writeResult } from "./results";
import { webhookStream } from "./webhook-stream";

/**
 * The same processes live through several Postgres restarts (a second restart once
 * hung a worker, and doubled realtime events): after each one every component must
 * come back by itself, and over the whole run nothing acknowledged is lost or doubled.
 */

const RESTARTS = 3;
const MINUTE = 60_000;

let cluster: Cluster;
let own: Awaited<ReturnType<typeof clusterOnOwnPostgres>>;

beforeAll(async () => {
  own = await clusterOnOwnPostgres("pg-restart-repeated", {
    // Debug logs carry graphile-worker's "Completed task" lines: each worker process must take jobs again.
    logLevel: "debug",
    env: { PRESENCE_HEARTBEAT_MS: "1000" },
  });
  cluster = own.cluster;
}, 120_000);
afterAll(async () => {
  await own?.close();
});

/** Milliseconds from Postgres answering again to each component working again; null when it never did. */
type Round = {
  round: number;
  apisReady: number | null;
  webhookAcked: number | null;
  sendResumed: number | null;
  assigned: number | null;
  realtime: number | null;
  workerBeats: number | null;
  presenceBeats: number | null;
  everyWorkerTakesJobs: number | null;
  operatorsOnline: number | undefined;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns something truthy; a query failing (the test's own pool reconnects too) is a no. */
function eventually<T>(fn: () => Promise<T | undefined | null | false>, what: string, ms = 60_000): Promise<T> {
  return until(() => fn().catch(() => undefined), ms, what);
}

/** Jobs each worker process completed since `t`, from its logs. */
function jobsSince(t: number): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(cluster.workers.map((w) => [w.name, 0]));
  for (const { file, line } of readLogs(cluster)) {
    const name = file.replace(/\.\d+\.log$/, "");
    if (!(name in out) || typeof line.time !== "number" || line.time < t) continue;
    if (typeof line.msg === "string" && line.msg.startsWith("Completed task")) out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

async function count(query: Promise<Array<{ n: number }>>): Promise<number> {
  return (await query)[0]?.n ?? 0;
}

/** Waits for every component to work again after Postgres came back at `upAt`. */
async function recovery(
  round: number,
  upAt: number,
  ctx: {
    urls: string[];
    ops: Operator[];
    afterId: number;
    convInstanceId: string;
    webhookAckedSince: (t: number) => boolean;
    sendsSince: () => boolean;
  },
): Promise<Round> {
  const since = (p: Promise<unknown>) =>
    p.then(
      () => Date.now() - upAt,
      () => null,
    );
  const at = new Date(upAt).toISOString();
  const assignment = eventually(
    () => openConversations(cluster, ctx.convInstanceId, 2),
    `round ${round}: conversations opened`,
  ).then((ids) => allAssigned(cluster, ids, 60_000));
  const [apisReady, webhookAcked, sendResumed, assigned, realtime, workerBeats, presenceBeats, everyWorkerTakesJobs] =
    await Promise.all([
      since(
        eventually(
          async () => (await Promise.all(ctx.urls.map((u) => probe(`${u}/readyz`, {}, 2000)))).every((s) => s === 200),
          `round ${round}: APIs ready`,
        ),
      ),
      since(until(() => ctx.webhookAckedSince(upAt), 60_000, `round ${round}: a webhook acknowledged`)),
      since(until(ctx.sendsSince, 60_000, `round ${round}: campaign sends`)),
      since(assignment),
      // Every conversation event since before the stop (the new assignments' included) reached every operator.
      since(
        assignment.then(() =>
          eventually(
            async () => (await deliveryGaps(cluster, ctx.ops, ctx.afterId)).lost === 0,
            `round ${round}: realtime`,
          ),
        ),
      ),
      since(
        eventually(
          async () =>
            (await count(cluster.core.sql<{ n: number }[]>`
              select count(*)::int as n from worker_heartbeats where heartbeat_at > ${at}::timestamptz`)) >=
            cluster.workers.length,
          `round ${round}: worker heartbeats`,
        ),
      ),
      since(
        eventually(
          async () =>
            (await count(cluster.core.sql<{ n: number }[]>`
              select count(*)::int as n from api_nodes where heartbeat_at > ${at}::timestamptz`)) >=
            cluster.apis.length,
          `round ${round}: presence heartbeats`,
        ),
      ),
      since(
        until(
          () => Object.values(jobsSince(upAt)).every((n) => n > 0),
          60_000,
          `round ${round}: every worker process completes a job`,
        ),
      ),
    ]);
  const online = await count(cluster.core.sql<{ n: number }[]>`
    select count(*)::int as n from users where presence = 'ONLINE'
      and id = any(${uuidArray(ctx.ops.map((o) => o.user.id))}::uuid[])`);
  return {
    round,
    apisReady,
    webhookAcked,
    sendResumed,
    assigned,
    realtime,
    workerBeats,
    presenceBeats,
    everyWorkerTakesJobs,
    operatorsOnline: online,
  };
}

describe("cluster: Postgres restarted several times in the same processes", () => {
  it("after every restart webhooks, sends, realtime, assignment, workers, cron and presence come back, nothing lost or doubled", async () => {
    const urls = cluster.apis.map((a) => a.url);
    const admin = await clusterUser(cluster, "ADMIN", urls[0] ?? "");
    const convInstance = await makeInstance(cluster.core);
    const number = await metaNumberThroughApi(cluster, urls[0] ?? "", admin.token);
    const ops = await connectOperators(cluster, 2);
    const startId = await maxEventId(cluster);
    const instance = await metaInstance(cluster.core, cluster.sim.url, { timeoutMs: 1500 });
    const flow = await campaignThroughApi({
      apiUrl: urls[0] ?? "",
      token: admin.token,
      instanceId: instance.id,
      recipients: 60,
      offset: 4_700_000,
      pacePerMinute: 150,
    });
    await flow.admin.campaigns.start.mutate({ id: flow.campaignId });
    const sent = () => cluster.sim.sentMessages().filter((m) => flow.phones.includes(`+${m.to}`)).length;
    const stream = webhookStream(urls, number);
    await until(() => sent() >= 2 && stream.acked.size >= 20, 30_000, "first sends and webhooks");

    const rounds: Round[] = [];
    const upTimes: number[] = [];
    for (let round = 1; round <= RESTARTS; round++) {
      const afterId = await eventually(() => maxEventId(cluster).then((id) => ({ id })), "event position");
      await own.stopPostgres();
      await sleep(1500);
      await own.startPostgres();
      const upAt = Date.now();
      upTimes.push(upAt);
      const sentAtUp = sent();
      rounds.push(
        await recovery(round, upAt, {
          urls,
          ops,
          afterId: afterId.id,
          convInstanceId: convInstance.id,
          webhookAckedSince: (t) => Number.isFinite(stream.firstAckAfter(t)),
          sendsSince: () => sent() > sentAtUp || sent() === flow.phones.length,
        }),
      );
      // A component that did not come back would only time out again in the next round.
      if (Object.values(rounds.at(-1) ?? {}).some((v) => v === null)) break;
    }

    await stream.stop();
    await eventually(async () => (await unprocessedWebhooks(cluster)) === 0, "webhooks processed");
    await eventually(
      async () =>
        (await httpClient(urls[1] ?? "", admin.token).campaigns.get.query({ id: flow.campaignId })).status ===
        "COMPLETED",
      "campaign completed",
    );
    // The crontab ticks again: the first minute after the first restart (its runner was replaced) ran.
    const firstMinute = new Date(Math.ceil((upTimes[0] ?? Date.now()) / MINUTE) * MINUTE);
    const everyMinute = [
      "conversations_assign_waiting",
      "conversations_expire_idle",
      "presence_sweep",
      "campaigns_resume_stalled",
    ];
    const cronTicked = await eventually(
      async () => {
        const rows = await listCrontabs(cluster.core);
        return everyMinute.every((id) =>
          rows.some((r) => r.identifier === id && r.lastExecution !== null && r.lastExecution >= firstMinute),
        );
      },
      "crontab ticked after the first restart",
      Math.max(10_000, +firstMinute + 20_000 - Date.now()),
    ).catch(() => false);

    const out = await campaignOutcome(cluster, flow.campaignId, flow.phones);
    const rows = await messagesOf(cluster, number.id, stream.sent);
    const present = new Set(rows.map((r) => r.provider_message_id));
    const lostAcked = [...stream.acked.keys()].filter((id) => !present.has(id));
    const unacked = stream.sent.filter((id) => !stream.acked.has(id));
    const messagesDuplicated = rows.length - present.size;
    let gaps = await deliveryGaps(cluster, ops, startId);
    const end = Date.now() + 10_000;
    while (gaps.lost > 0 && Date.now() < end) {
      await sleep(100);
      gaps = await deliveryGaps(cluster, ops, startId);
    }
    const alive = [...cluster.apis, ...cluster.workers].map((p) => ({ name: p.name, alive: p.alive }));
    const logs = readLogs(cluster);
    const worst = (k: keyof Round) => Math.max(...rounds.map((r) => Number(r[k]) || 0));

    writeResult({
      scenario: "postgres-restart-repeated",
      title: `Restart Postgres ${RESTARTS} times under load, same processes`,
      promise:
        "after every restart each component comes back by itself: acknowledged webhooks all become messages exactly once, the campaign completes with no double send, operators get every event once, assignment, every worker, cron and presence run again",
      lost: lostAcked.length + unacked.length + out.lost + out.phantom + out.unrecorded + gaps.lost,
      duplicated: messagesDuplicated + out.duplicated + gaps.duplicated,
      recoveryMs: Math.max(worst("apisReady"), worst("webhookAcked"), worst("realtime"), worst("everyWorkerTakesJobs")),
      note: `the worst of ${RESTARTS} restarts: from Postgres accepting connections to APIs ready, webhooks acknowledged, operators caught up and every worker completing jobs`,
      details: {
        restarts: RESTARTS,
        outageMs: 1500,
        rounds,
        webhooks: { sent: stream.sent.length, acknowledged: stream.acked.size, refused: stream.refused },
        messages: rows.length,
        messagesDuplicated,
        campaign: out.statuses,
        campaignDuplicated: out.duplicated,
        unknownBecauseCutMidCall: out.unknown.length,
        conversationEvents: gaps.total,
        realtime: gaps.perOperator.map((o) => ({
          received: o.received,
          missing: o.missing.length,
          repeats: o.repeats,
        })),
        socketReconnects: ops.map((o) => o.state.opens.length - 1),
        cronTicked,
        jobRunnerRestarts: logs.filter((l) => l.line.msg === "job runner restarted").length,
        // Each API re-LISTENed after every restart and reloaded what NOTIFY could not bring meanwhile.
        realtimeReplays: logs
          .filter((l) => l.line.msg === "realtime link back; replaying what it may have missed")
          .map((l) => `${l.file.replace(/\.\d+\.log$/, "")}:${l.line.events}`),
        processes: alive,
      },
    });

    expect(alive.every((p) => p.alive)).toBe(true);
    expect(rounds).toHaveLength(RESTARTS);
    for (const r of rounds) expect(Object.entries(r).filter(([, v]) => v === null)).toEqual([]);
    for (const r of rounds) expect(r.operatorsOnline).toBe(ops.length);
    expect(unacked).toEqual([]);
    expect(lostAcked).toEqual([]);
    expect(messagesDuplicated).toBe(0);
    expect(out.duplicated).toBe(0);
    expect(out.lost).toBe(0);
    expect(out.phantom).toBe(0);
    expect(out.unrecorded).toBe(0);
    // No worker died: every provider answer was recorded through the restarts, none left as "may have been sent".
    expect(out.unknown).toEqual([]);
    expect(gaps.lost).toBe(0);
    expect(gaps.duplicated).toBe(0);
    expect(cronTicked).toBe(true);
    // Every API process re-established its LISTEN after every restart.
    for (const api of cluster.apis) {
      expect(
        logs.filter((l) => l.file.startsWith(`${api.name}.`) && String(l.line.msg).startsWith("realtime link back"))
          .length,
      ).toBeGreaterThanOrEqual(RESTARTS);
    }
    for (const o of ops) o.ws.close();
  }, 240_000);
});
