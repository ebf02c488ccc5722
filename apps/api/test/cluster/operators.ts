import { canSee, loadEventsAfter, uuidArray } from "@elsehu/core";
import { arrive, makeContact } from "../conversation-fixtures";
import { type Cluster, clusterUser, failoverWsClient, until } from "./harness";

export type Operator = Awaited<ReturnType<typeof clusterUser>> &
  ReturnType<typeof failoverWsClient> & {
    received: Array<{ id: number; kind: string }>;
    sub: { unsubscribe: () => void };
    isStarted: () => boolean;
    /** The API its first socket went to. */
    firstUrl: string;
  };

/**
 * `n` operators logged in, each with a console WebSocket (failover over every API,
 * starting on API `i % apis`) subscribed to his conversation events.
 */
export async function connectOperators(
  cluster: Cluster,
  n: number,
  retryDelayMs?: (attempt: number) => number,
): Promise<Operator[]> {
  const urls = cluster.apis.map((a) => a.url);
  const ops: Operator[] = [];
  for (let i = 0; i < n; i++) {
    const login = await clusterUser(cluster, "OPERATOR", urls[i % urls.length] ?? "", { maxConcurrent: 50 });
    const conn = failoverWsClient(urls, login.token, { start: i, retryDelayMs });
    const received: Array<{ id: number; kind: string }> = [];
    let started = false;
    const sub = conn.client.events.onConversation.subscribe(
      {},
      {
        onStarted: () => {
          started = true;
        },
        onData: (d) => received.push({ id: d.data.id, kind: d.data.kind }),
      },
    );
    ops.push({ ...login, ...conn, received, sub, isStarted: () => started, firstUrl: urls[i % urls.length] ?? "" });
  }
  await until(() => ops.every((o) => o.isStarted()), 15_000, "subscriptions started");
  await until(
    async () => {
      const rows = await cluster.core.sql<{ n: number }[]>`
        select count(*)::int as n from users
        where presence = 'ONLINE' and id = any(${uuidArray(ops.map((o) => o.user.id))}::uuid[])`;
      return rows[0]?.n === n;
    },
    15_000,
    "operators online",
  );
  return ops;
}

/** Opens `n` WAITING conversations the way an inbound message does; the workers assign them. */
export async function openConversations(cluster: Cluster, instanceId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const contact = await makeContact(cluster.core, `Cliente ${i}`);
    const conv = await arrive(cluster.core, contact.id, instanceId);
    ids.push(conv.conversation.id);
  }
  return ids;
}

export async function allAssigned(cluster: Cluster, ids: string[], ms = 30_000) {
  return until(
    async () => {
      const rows = await cluster.core.sql<{ id: string; operator_id: string | null; status: string }[]>`
        select id, operator_id, status from conversations
        where id = any(${uuidArray(ids)}::uuid[])`;
      return rows.length === ids.length && rows.every((r) => r.operator_id && r.status === "OPEN") ? rows : undefined;
    },
    ms,
    "conversations assigned",
  );
}

/**
 * Compares what each operator's client received with what he was entitled to
 * (the events table through the same visibility rule): missing and repeated ids.
 */
export async function deliveryGaps(cluster: Cluster, ops: Operator[], afterId: number) {
  const events = (await loadEventsAfter(cluster.core, afterId, 10_000)).filter((e) =>
    e.kind.startsWith("conversation."),
  );
  let lost = 0;
  let duplicated = 0;
  const perOperator = ops.map((o) => {
    const actor = { id: o.user.id, role: "OPERATOR" as const, name: o.user.name };
    const expected = events.filter((e) => canSee(actor, e)).map((e) => e.id);
    const got = o.received.filter((r) => r.id > afterId).map((r) => r.id);
    const missing = expected.filter((id) => !got.includes(id));
    const repeats = got.length - new Set(got).size;
    lost += missing.length;
    duplicated += repeats;
    return { operator: o.email, expected: expected.length, received: got.length, missing, repeats };
  });
  return { lost, duplicated, perOperator, total: events.length };
}

export async function maxEventId(cluster: Cluster): Promise<number> {
  const [row] = await cluster.core.sql<{ id: number }[]>`select coalesce(max(id), 0)::int as id from events`;
  return row?.id ?? 0;
}
