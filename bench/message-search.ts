/**
 * `pnpm bench message-search [--size N]`: full-text search in N messages (default 1,000,000) of generated Portuguese.
 *
 * N messages over N/10 contacts (one conversation each, on one number) served by 50 operators, one a second up
 * to now, words drawn Zipf-like from a customer-service vocabulary with accents (lib/message-fixtures). Queries
 * typed without accents, one or two words from common to rare, through `searchMessages` as an operator (his
 * conversations and the customer history the rule allows) and as a supervisor (all). Baseline, same run: the
 * same search as hand-written SQL on the same indexes, ids only (`ratio` = supervisor p95 / baseline p95, the
 * verb's overhead: scope, joins, snippets). For scale, a few queries as one ORDER BY ... LIMIT statement, the
 * search before it went newest first in steps. `--database NAME` reuses a database generated before on
 * DATABASE_URL's server (migrating it first, timed), and keeps it.
 */
import { type Actor, createCoreContext, searchMessages } from "@elsehu/core";
import { connect, migrate, type Sql } from "@elsehu/db";
import { withDatabase } from "@elsehu/db/testing";
import { parseArgs } from "./lib/args";
import { benchConfig, benchLog } from "./lib/core";
import { benchDatabase } from "./lib/database";
import { generateMessages, type MessageFixtures } from "./lib/message-fixtures";
import { printResult } from "./lib/output";
import { percentile } from "./lib/stats";

const args = parseArgs();
const size = Math.floor(args.number("size", 1_000_000));

// Typed as people type: no accents, any case. A few from the vocabulary's head, most from its middle and tail.
const QUERIES = [
  "pedido",
  "boleto",
  "reembolso",
  "estorno duplicada",
  "instalacao",
  "transportadora atraso",
  "garantia defeito",
  "ouvidoria",
  "procon",
  "geladeira",
  "cafeteira",
  "colchao",
  "anuidade",
  "segunda via boleto",
  "desbloqueio",
  "micro-ondas",
  "cobranca indevida",
  "guarda-roupa",
  "liquidificador quebrado",
  "comprovante pix",
];

// --database NAME: a database generated before (on DATABASE_URL's server), migrated here and kept (10M rows take
// half an hour to generate); the migration's time is printed.
const reuse = args.string("database", "");
const db = reuse ? await existingDatabase(reuse) : await benchDatabase();
const database = connect(db.url, { max: 4 });
const core = createCoreContext(database, benchLog, benchConfig());
const sql = database.sql;
try {
  const t0 = performance.now();
  if (!reuse)
    console.error(`gerando ${size} mensagens, ${Math.max(100, Math.floor(size / 10))} contatos, 50 operadores…`);
  const { operators, supervisor: sup } = reuse ? await fixturesOf(sql) : await generateMessages(sql, size);
  const [counted] = reuse ? await sql<{ n: number }[]>`select count(*)::int as n from messages` : [{ n: size }];
  console.error(`dados prontos em ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const operator = (i: number): Actor => {
    const o = operators[i % operators.length];
    return { id: o?.id ?? "", name: o?.name ?? "", role: "OPERATOR" };
  };
  const supervisor: Actor = { id: sup.id, name: sup.name, role: "SUPERVISOR" };
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  // The verb's steps by hand: the newest 1,000 messages tested one by one, then windows from an hour to all.
  const matches = (q: string) =>
    sql`to_tsvector('elsehu_pt'::regconfig, coalesce(m.body, '')) @@ websearch_to_tsquery('elsehu_pt', ${q})`;
  const handWritten = (q: string) =>
    sql.begin(async (tx) => {
      await tx`set local jit = off`;
      await tx`set local max_parallel_workers_per_gather = 0`;
      const [edge] = await tx<{ id: string; created_at: string }[]>`
        select id, created_at::text as created_at from (select id, created_at from messages
          order by created_at desc, id desc limit 1000) r order by created_at, id limit 1`;
      const hits = await tx<{ id: string }[]>`select m.id from (select id, created_at, body, deleted_at from messages
          order by created_at desc, id desc limit 1000) m
        where ${matches(q)} and m.deleted_at is null order by m.created_at desc, m.id desc limit 21`;
      if (!edge) return hits;
      // A phrase goes to the index as its first word (and is checked after the date), as the verb does.
      const [{ text } = { text: "" }] = await tx<
        { text: string }[]
      >`select websearch_to_tsquery('elsehu_pt', ${q})::text as text`;
      const phrase = /<\d*-?>/.test(text) && !/[|!()]/.test(text);
      const relaxedFirsts = text
        .split(" & ")
        .map((part) => part.match(/^'(?:[^']|'')*'/)?.[0] ?? "")
        .filter(Boolean);
      const inWindow = phrase
        ? tx`to_tsvector('elsehu_pt'::regconfig, coalesce(m.body, '')) @@ ${relaxedFirsts.join(" & ")}::tsquery
            and to_tsvector('elsehu_pt'::regconfig, coalesce(m.body, '') || '') @@ websearch_to_tsquery('elsehu_pt', ${q})`
        : matches(q);
      const windows = ["1 hour", "6 hours", "1 day", "4 days", "14 days", "60 days", "365 days", null];
      for (const [i, w] of windows.entries()) {
        if (hits.length >= 21) break;
        const upper =
          i === 0
            ? tx`(m.created_at, m.id) < (${edge.created_at}::timestamptz, ${edge.id}::uuid)`
            : tx`m.created_at < ${edge.created_at}::timestamptz - ${windows[i - 1] ?? ""}::interval`;
        const lower = w ? tx`m.created_at >= ${edge.created_at}::timestamptz - ${w}::interval` : tx`true`;
        hits.push(
          ...(await tx<{ id: string }[]>`with h as materialized (select m.id, m.created_at from messages m
              where ${upper} and ${lower} and m.deleted_at is null and ${inWindow})
            select id from h order by created_at desc, id desc limit ${21 - hits.length}`),
        );
      }
      return hits;
    });
  // The operator's page by the rule itself (readableBy), one statement: what his search must return.
  const byRule = (q: string, operatorId: string) => sql<{ id: string }[]>`
    select m.id from messages m join conversations c on c.id = m.conversation_id
    where ${matches(q)} and m.deleted_at is null and (c.operator_id = ${operatorId} or (c.status in ('CLOSED', 'EXPIRED')
      and exists (select 1 from conversations c2 where c2.operator_id = ${operatorId} and c2.status = 'OPEN'
        and c2.contact_id = c.contact_id and c2.instance_id = c.instance_id)))
    order by m.created_at desc, m.id desc limit 20`;
  const oneStatement = (q: string) => sql`
    select m.id from messages m where ${matches(q)} and m.deleted_at is null
    order by m.created_at desc, m.id desc limit 21`;
  for (const q of QUERIES.slice(0, 5)) {
    await searchMessages(core, supervisor, { query: q });
    await searchMessages(core, operator(0), { query: q });
    await handWritten(q);
  }
  const opTimes: number[] = [];
  const supTimes: number[] = [];
  const baseTimes: number[] = [];
  let hits = 0;
  let same = 0;
  let opSame = 0;
  let opHits = 0;
  for (let round = 0; round < 5; round++) {
    for (const [i, q] of QUERIES.entries()) {
      const op = operator(i + round * 7);
      let opIds: string[] = [];
      opTimes.push(
        await time(async () => {
          opIds = (await searchMessages(core, op, { query: q })).items.map((h) => h.id);
        }),
      );
      opHits += opIds.length > 0 ? 1 : 0;
      if (round === 0 && (await byRule(q, op.id)).map((r) => r.id).join() === opIds.join()) opSame++;
      let verbIds: string[] = [];
      supTimes.push(
        await time(async () => {
          verbIds = (await searchMessages(core, supervisor, { query: q })).items.map((h) => h.id);
        }),
      );
      hits += verbIds.length > 0 ? 1 : 0;
      let handIds: string[] = [];
      baseTimes.push(
        await time(async () => {
          handIds = (await handWritten(q)).map((h) => h.id);
        }),
      );
      if (handIds.slice(0, 20).join() === verbIds.join()) same++;
    }
  }
  const oneTimes: number[] = [];
  for (const q of ["reembolso", "procon", "cobranca indevida"]) {
    oneTimes.push(
      await time(() =>
        sql.begin(async (tx) => {
          await tx`set local jit = off`;
          return oneStatement(q);
        }),
      ),
    );
  }
  const p = (xs: number[], n: number) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      n,
    );
  const [reembolso] = await sql<
    { n: number }[]
  >`select count(*)::int as n from messages m where ${matches("reembolso")}`;
  printResult(
    {
      name: "message-search",
      messages: counted?.n ?? size,
      operator_p95_ms: p(opTimes, 95),
      supervisor_p95_ms: p(supTimes, 95),
      baseline_p95_ms: p(baseTimes, 95),
      ratio: p(supTimes, 95) / p(baseTimes, 95),
    },
    [
      `${hits}/${supTimes.length} buscas da supervisora com resultado, ${same} iguais ao SQL à mão; "reembolso" aparece em ${reembolso?.n ?? 0} mensagens`,
      `${opHits}/${opTimes.length} buscas do operador com resultado; ${opSame}/${QUERIES.length} iguais à regra (readableBy) em SQL`,
      `operador p50 ${p(opTimes, 50).toFixed(1)} ms, p95 ${p(opTimes, 95).toFixed(1)} ms · supervisora p50 ${p(supTimes, 50).toFixed(1)} ms, p95 ${p(supTimes, 95).toFixed(1)} ms · SQL à mão p95 ${p(baseTimes, 95).toFixed(1)} ms`,
      `uma só consulta ORDER BY ... LIMIT (3 buscas): p95 ${p(oneTimes, 95).toFixed(0)} ms`,
    ],
  );
} finally {
  await database.close();
  await db.close();
}

/** A database generated before: migrated (timed) and kept. */
async function existingDatabase(name: string): Promise<{ url: string; close: () => Promise<void> }> {
  const url = withDatabase(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", name);
  const t = performance.now();
  await migrate(url);
  console.error(`migrações em ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { url, close: async () => {} };
}

/** The operators and the supervisor generateMessages created. */
async function fixturesOf(sql: Sql): Promise<Pick<MessageFixtures, "operators" | "supervisor">> {
  const operators = await sql<{ id: string; name: string }[]>`
    select id, name from users where email like 'op%@bench.local' order by substring(email from 'op(\d+)@')::int`;
  const [supervisor] = await sql<
    { id: string; name: string }[]
  >`select id, name from users where email = 'sup@bench.local'`;
  if (!supervisor || operators.length === 0) throw new Error("not a message-search database");
  return { operators, supervisor };
}
