/**
 * `pnpm bench search [--size N]`: full-text search in N messages (default 1,000,000) of generated Portuguese.
 *
 * N messages over N/10 contacts (one conversation each, on one number) served by 50 operators, words drawn
 * Zipf-like from a customer-service vocabulary with accents. Queries typed without accents, one or two words
 * of middling to rare frequency, through `searchMessages` as an operator (his conversations and the customer
 * history the rule allows) and as a supervisor (all). Baseline, same run: the same search as hand-written SQL
 * on the same index (the verb's overhead: `ratio` = supervisor p95 / baseline p95). For scale, a few of the
 * queries as an accent-folding ILIKE scan, what a search without the index does (`scan_ratio` = its p95 over
 * the verb's supervisor p95).
 */
import { type Actor, createCoreContext, searchMessages, textArray, uuidArray } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { parseArgs } from "./lib/args";
import { benchConfig, benchLog } from "./lib/core";
import { benchDatabase } from "./lib/database";
import { printResult } from "./lib/output";
import { percentile } from "./lib/stats";

const args = parseArgs();
const size = Math.floor(args.number("size", 1_000_000));
const contactsCount = Math.max(100, Math.floor(size / 10));
const OPERATORS = 50;

// Most common first: the draw below favours the head, like real chat text.
const VOCAB = (
  "olá bom dia boa tarde obrigado obrigada por favor sim não pedido entrega nota fiscal boleto pagamento " +
  "cartão pix produto atendimento prazo troca devolução endereço número cadastro senha acesso aplicativo " +
  "site compra valor desconto promoção frete rastreio transportadora atraso chegou recebi enviado código " +
  "cancelamento reembolso estorno fatura vencimento segunda via parcela juros contrato plano assinatura " +
  "internet sinal técnico visita instalação agendamento horário manhã tarde semana ontem amanhã hoje " +
  "urgente reclamação problema defeito garantia assistência peça quebrado danificado embalagem caixa " +
  "loja filial gerente supervisor protocolo ouvidoria procon avaliação satisfação elogio sugestão dúvida " +
  "informação confirmação comprovante documento CPF CNPJ e-mail telefone WhatsApp mensagem resposta " +
  "aguardando retorno ligação chamado solicitação alteração atualização bloqueio desbloqueio crédito débito " +
  "saldo extrato limite aprovação análise cobrança indevida duplicada multa taxa tarifa mensalidade anuidade " +
  "geladeira televisão notebook celular fogão máquina lavar ventilador ar-condicionado micro-ondas cafeteira " +
  "liquidificador aspirador colchão sofá guarda-roupa"
).split(" ");

// Typed as people type: no accents, any case. From the vocabulary's middle and tail, alone or in pairs.
const QUERIES = [
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
  "televisao",
  "comprovante pix",
  "assistencia",
];

const db = await benchDatabase();
const database = connect(db.url, { max: 4 });
const core = createCoreContext(database, benchLog, benchConfig());
const sql = database.sql;
try {
  console.error(`gerando ${size} mensagens, ${contactsCount} contatos, ${OPERATORS} operadores…`);
  const t0 = performance.now();
  const ops = await sql<{ id: string; name: string }[]>`
    insert into users (name, email, password_hash, role)
    select 'Operador ' || g, 'op' || g || '@bench.local', 'x', 'OPERATOR' from generate_series(1, ${OPERATORS}::int) g
    returning id, name`;
  const [sup] = await sql<{ id: string; name: string }[]>`
    insert into users (name, email, password_hash, role) values ('Supervisora', 'sup@bench.local', 'x', 'SUPERVISOR')
    returning id, name`;
  const [instance] = await sql<{ id: string }[]>`
    insert into service_instances (name, provider, secrets) values ('Bench', 'META', 'x') returning id`;
  await sql`insert into contacts (phone, phone_key, name, search_text)
    select '+55' || (11900000000 + g), '55' || (11900000000 + g), 'Cliente ' || g, 'cliente ' || g
    from generate_series(1, ${contactsCount}::int) g`;
  // One conversation per contact, 1 in 20 still open; operators in turn.
  await sql`insert into conversations (contact_id, instance_id, status, operator_id, created_at, queued_at, closed_at)
    select c.id, ${instance?.id ?? ""}::uuid, (case when c.n % 20 = 0 then 'OPEN' else 'CLOSED' end)::conversation_status,
      (${uuidArray(ops.map((o) => o.id))}::uuid[])[1 + c.n % ${OPERATORS}::int], now() - interval '30 days', now() - interval '30 days',
      case when c.n % 20 = 0 then null else now() end
    from (select id, row_number() over (order by id) as n from contacts) c`;
  await sql`create temp table cv as select id, (row_number() over (order by id)) - 1 as n from conversations`;
  // The index is built after the rows, as CREATE INDEX does faster than row-by-row upkeep.
  await sql`drop index messages_search_idx`;
  await sql`insert into messages (conversation_id, instance_id, direction, type, body, status, created_at)
    select cv.id, ${instance?.id ?? ""}::uuid, (case when g % 2 = 0 then 'IN' else 'OUT' end)::message_direction, 'text',
      array_to_string(array(select (${textArray(VOCAB)}::text[])[1 + floor(power(random(), 2.5) * ${VOCAB.length}::int)::int]
        from generate_series(1, 4 + (g % 9) + 0 * g)), ' '),
      'DELIVERED', now() - make_interval(secs => ${size}::int - g)
    from generate_series(1, ${size}::int) g join cv on cv.n = g % ${contactsCount}::int`;
  await sql`create index messages_search_idx on messages using gin (to_tsvector('elsehu_pt'::regconfig, coalesce(body, '')))`;
  await sql`vacuum analyze`;
  console.error(`dados prontos em ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const operator = (i: number): Actor => {
    const o = ops[i % ops.length];
    return { id: o?.id ?? "", name: o?.name ?? "", role: "OPERATOR" };
  };
  const supervisor: Actor = { id: sup?.id ?? "", name: "Supervisora", role: "SUPERVISOR" };
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const handWritten = (q: string) => sql`
    select m.id from messages m join conversations c on c.id = m.conversation_id
    where to_tsvector('elsehu_pt'::regconfig, coalesce(m.body, '')) @@ websearch_to_tsquery('elsehu_pt', ${q})
      and m.deleted_at is null
    order by m.created_at desc, m.id desc limit 21`;
  for (const q of QUERIES.slice(0, 5)) {
    await searchMessages(core, supervisor, { query: q });
    await handWritten(q);
  }
  const opTimes: number[] = [];
  const supTimes: number[] = [];
  const baseTimes: number[] = [];
  let hits = 0;
  for (let round = 0; round < 5; round++) {
    for (const [i, q] of QUERIES.entries()) {
      opTimes.push(await time(() => searchMessages(core, operator(i + round * 7), { query: q })));
      supTimes.push(
        await time(async () => {
          hits += (await searchMessages(core, supervisor, { query: q })).items.length > 0 ? 1 : 0;
        }),
      );
      baseTimes.push(await time(() => handWritten(q)));
    }
  }
  const scanTimes: number[] = [];
  for (const q of ["reembolso", "procon", "cafeteira"]) {
    scanTimes.push(
      await time(
        () => sql`select m.id from messages m where unaccent(lower(m.body)) like ${`%${q}%`}
          and m.deleted_at is null order by m.created_at desc, m.id desc limit 21`,
      ),
    );
  }
  const p95 = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      95,
    );
  const [matches] = await sql<{ n: number }[]>`select count(*)::int as n from messages
    where to_tsvector('elsehu_pt'::regconfig, coalesce(body, '')) @@ websearch_to_tsquery('elsehu_pt', 'reembolso')`;
  printResult(
    {
      name: "search",
      messages: size,
      operator_p50_ms: percentile(
        [...opTimes].sort((a, b) => a - b),
        50,
      ),
      operator_p95_ms: p95(opTimes),
      supervisor_p50_ms: percentile(
        [...supTimes].sort((a, b) => a - b),
        50,
      ),
      supervisor_p95_ms: p95(supTimes),
      baseline_p95_ms: p95(baseTimes),
      ratio: p95(supTimes) / p95(baseTimes),
      scan_p95_ms: p95(scanTimes),
      scan_ratio: p95(scanTimes) / p95(supTimes),
    },
    [
      `${hits}/${supTimes.length} buscas da supervisora com resultado; "reembolso" aparece em ${matches?.n ?? 0} mensagens`,
      `operador p95 ${p95(opTimes).toFixed(1)} ms · supervisora p95 ${p95(supTimes).toFixed(1)} ms · SQL à mão p95 ${p95(baseTimes).toFixed(1)} ms · ILIKE p95 ${p95(scanTimes).toFixed(0)} ms`,
    ],
  );
} finally {
  await database.close();
  await db.close();
}
