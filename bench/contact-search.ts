/**
 * `pnpm bench contact-search [--size N]`: N contacts (default 1,000,000) with
 * Brazilian names, emails and phones, then p50/p95 of `listContacts` searches by
 * name fragments (accent-free), emails and phone digits. Baseline: the same
 * queries as an indexed exact lookup by phone key, in the same run.
 */
import { createCoreContext, listContacts } from "@elsehu/core";
import { connect } from "@elsehu/db";
import pino from "pino";
import { benchDatabase, sizeArg } from "./lib/contacts-fixtures";

const size = sizeArg(1_000_000);
const db = await benchDatabase();
const database = connect(db.url, { max: 2 });
const core = createCoreContext(database, pino({ level: "warn" }), {
  sessionIdleTimeoutSeconds: 3600,
  encryptionKey: Buffer.alloc(32, 7),
  storagePath: "/nonexistent",
  conversationTtlSeconds: 86400,
  defaultRegion: "BR",
  timezone: "America/Sao_Paulo",
});

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

try {
  console.error(`gerando ${size} contatos...`);
  // Names as stored (accented) and their folded search text, built in SQL for speed.
  await database.sql`
    with f(n, folded) as (select * from unnest(
      array['João','Maria','José','Ana','Antônio','Francisca','Carlos','Luíza','Paulo','Fernanda','Lucas','Júlia','Marcos','Patrícia'],
      array['joao','maria','jose','ana','antonio','francisca','carlos','luiza','paulo','fernanda','lucas','julia','marcos','patricia'])),
    l(n, folded) as (select * from unnest(
      array['Silva','Santos','Oliveira','Souza','Rodrigues','Ferreira','Alves','Pereira','Lima','Gomes','Araújo','Ribeiro'],
      array['silva','santos','oliveira','souza','rodrigues','ferreira','alves','pereira','lima','gomes','araujo','ribeiro'])),
    fa as (select array_agg(n order by n) n, array_agg(folded order by n) fo from f),
    la as (select array_agg(n order by n) n, array_agg(folded order by n) fo from l)
    insert into contacts (phone, phone_key, name, email, search_text)
    select '+' || k, k, fa.n[1 + g % 14] || ' ' || la.n[1 + (g / 14) % 12] || ' ' || g,
           'cliente' || g || '@exemplo.com.br',
           fa.fo[1 + g % 14] || ' ' || la.fo[1 + (g / 14) % 12] || ' ' || g || E'\t' || 'cliente' || g || '@exemplo.com.br' || E'\t' || k
    from generate_series(1, ${size}::int) g, fa, la,
         lateral (select '55' || (11 + g % 80)::text || '9' || lpad((g::bigint * 7919 % 89999999 + 10000000)::text, 8, '0') as k) p`;
  await database.sql`vacuum analyze contacts`;

  const queries: string[] = [];
  const names = ["joao", "maria silva", "jose", "luiza", "patricia gomes", "antonio ribeiro", "ARAUJO", "Júlia Lima"];
  for (let i = 0; i < 300; i++) {
    const g = 1 + ((i * 104729) % size);
    const kind = i % 4;
    if (kind === 0) queries.push(names[i % names.length] ?? "joao");
    else if (kind === 1) queries.push(`cliente${g}@`);
    else if (kind === 2) queries.push(String(((g * 7919) % 89999999) + 10000000).slice(0, 6));
    else queries.push(`${names[i % names.length]} ${g}`);
  }
  for (const q of queries.slice(0, 20)) await listContacts(core, { search: q }); // warm-up
  const times: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const t = performance.now();
    const page = await listContacts(core, { search: q, limit: 50 });
    times.push(performance.now() - t);
    if (page.items.length > 0) hits++;
  }
  const keys = await database.sql<{ k: string }[]>`select phone_key as k from contacts order by random() limit 300`;
  const base: number[] = [];
  for (const { k } of keys) {
    const t = performance.now();
    await database.sql`select * from contacts where phone_key = ${k}`;
    base.push(performance.now() - t);
  }
  console.error(
    `${hits}/${queries.length} buscas com resultado; busca exata por telefone p50 ${pct(base, 50).toFixed(2)} ms`,
  );
  console.log(
    JSON.stringify({
      name: "contact-search",
      contacts: size,
      p50_ms: Number(pct(times, 50).toFixed(2)),
      p95_ms: Number(pct(times, 95).toFixed(2)),
      baseline_p50_ms: Number(pct(base, 50).toFixed(2)),
    }),
  );
} finally {
  await database.close();
  await db.close();
}
