import { sql } from "drizzle-orm";
import type { PendingQuery, Row, Sql, TransactionSql } from "postgres";
import type { Tx } from "../shared/context";
import { bug } from "../shared/errors";
import { currentTraceparent } from "../telemetry/spans";
import type { EventKind, EventPayloads, PublishInput } from "./catalog";

export const EVENTS_CHANNEL = "elsehu_events";

/**
 * The one event publisher: every row of `events` and its NOTIFY are written
 * here. Called inside the transaction that made the change, so listeners hear
 * of it only if it commits (NOTIFY fires at commit). A drizzle transaction or a
 * postgres.js one (verbs written with postgres.js templates) both work.
 */
type Executor = Tx | TransactionSql | Sql;

/** A tagged template of either client: the statements below are written once for both. */
type Tag<Q> = (strings: TemplateStringsArray, ...values: unknown[]) => Q;

/** Records one event and NOTIFYs its id, in one statement (this runs once per message and status). */
export async function publishEvent(tx: Executor, input: PublishInput): Promise<number> {
  const userId = input.audience.to === "USER" ? input.audience.userId : null;
  const trace = currentTraceparent();
  const one = <Q>(q: Tag<Q>) => q`
    with e as (
      insert into events (kind, audience, user_id, payload, trace)
      values (${input.kind}, ${input.audience.to}, ${userId}, ${JSON.stringify(input.payload)}::jsonb, ${trace})
      returning id
    )
    select id::text, pg_notify(${EVENTS_CHANNEL}, id::text) from e`;
  const [row] = await run(tx, one);
  if (!row) throw bug("event insert returned nothing");
  return Number(row.id);
}

/**
 * Many events at once (queue drains, expiry sweeps): one statement per 1,000,
 * inserted in the given order, each id NOTIFYed. The list goes as one JSON
 * parameter (the list-parameter rule in ARCHITECTURE.md).
 */
export async function publishEvents(tx: Executor, inputs: PublishInput[]): Promise<number[]> {
  const ids: number[] = [];
  const trace = currentTraceparent();
  for (let i = 0; i < inputs.length; i += 1000) {
    const list = inputs.slice(i, i + 1000).map((e) => ({
      kind: e.kind,
      audience: e.audience.to,
      userId: e.audience.to === "USER" ? e.audience.userId : null,
      payload: e.payload,
    }));
    const many = <Q>(q: Tag<Q>) => q`
      with e as (
        insert into events (kind, audience, user_id, payload, trace)
        select x.e->>'kind', x.e->>'audience', (x.e->>'userId')::uuid, x.e->'payload', ${trace}::text
        from jsonb_array_elements(${JSON.stringify(list)}::jsonb) with ordinality as x(e, ord)
        order by x.ord
        returning id
      )
      select id::text, pg_notify(${EVENTS_CHANNEL}, id::text) from e order by id`;
    for (const r of await run(tx, many)) ids.push(Number(r.id));
  }
  return ids;
}

/** Runs a statement written with `Tag` on a drizzle or a postgres.js transaction. */
async function run(tx: Executor, statement: <Q>(q: Tag<Q>) => Q): Promise<{ id: string }[]> {
  if (isPostgresJs(tx)) return statement<PendingQuery<{ id: string }[]>>((s, ...v) => tx(s, ...(v as never[])));
  return tx.execute<{ id: string }>(statement((s, ...v) => sql(s, ...(v as never[]))));
}

/**
 * For a writer that must stay ONE statement (`ingestPlainInbound`: one round trip,
 * one commit): the CTE members that insert events of `kind`, one per row of
 * `from`, and NOTIFY their ids. The payload's columns are given by field, so the
 * catalog's payload type checks them. Use inside a `with` list:
 * `with …, ${eventsCte(sql, {...})} select …` (it defines `ev` and `ev_notified`).
 */
export function eventsCte<K extends EventKind>(
  tx: Sql | TransactionSql,
  spec: {
    kind: K;
    /** A FROM clause (tables, joins, where, order by) the columns below read from. */
    from: PendingQuery<Row[]>;
    /** SQL text 'ALL' | 'STAFF' | 'USER' per row. */
    audience: PendingQuery<Row[]>;
    userId: PendingQuery<Row[]>;
    payload: { [F in keyof Required<EventPayloads[K]>]: PendingQuery<Row[]> };
  },
): PendingQuery<Row[]> {
  const fields = Object.entries(spec.payload) as [string, PendingQuery<Row[]>][];
  const object = fields.reduce<PendingQuery<Row[]>>(
    (acc, [name, value], i) => tx`${acc}${i === 0 ? tx`` : tx`, `}${name}::text, ${value}`,
    tx``,
  );
  return tx`ev as (
      insert into events (kind, audience, user_id, payload, trace)
      select ${spec.kind}::text, ${spec.audience}, ${spec.userId}, jsonb_build_object(${object}), ${currentTraceparent()}::text
      from ${spec.from}
      returning id
    ), ev_notified as (
      select pg_notify(${EVENTS_CHANNEL}, id::text) from ev
    )`;
}

function isPostgresJs(tx: Executor): tx is TransactionSql | Sql {
  return typeof tx === "function";
}
