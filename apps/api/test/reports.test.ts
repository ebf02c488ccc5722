import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * Crafted data set, America/Sao_Paulo (UTC-3): local day D runs from D 03:00Z to D+1 03:00Z.
 * Period 2025-03-10..2025-03-11 local = [2025-03-10T03:00Z, 2025-03-12T03:00Z).
 *
 *      status   op  tab  inst closed (UTC)          waiting handling 1st resp duration  local day
 * C1   CLOSED   A   T1   I1   03-10 10:11:00         60      600      30       660      03-10
 * C2   CLOSED   A   T1   I1   03-10 20:22:00        120     1200      90      1320      03-10 (re-queued: waiting from created)
 * C3   CLOSED   B   T2   I2   03-11 02:59:59        300     3299       -      3599      03-10 (23:59:59 local)
 * C4   CLOSED   B   T2   I2   03-11 03:00:00         30     1770      30      1800      03-11 (00:00 local)
 * C5   CLOSED   A   -    I1   03-12 02:59:00        600     2940     120      3540      03-11
 * C6   CLOSED   A   T1   I1   03-12 03:00:00   outside (03-12 local)
 * C7   CLOSED   B   T2   I2   03-10 02:59:59   outside (03-09 local)
 * E1   EXPIRED  -    -   I1   03-11 12:00:00          -        -       -     86400      03-11
 * E2   EXPIRED  B    -   I2   03-11 13:01:10         10    86460      60     86470      03-11
 * O1 OPEN (A), O2 OPEN (B), W1 WAITING: "now" counts.
 */
let stack: Stack;
type U = Awaited<ReturnType<typeof userWithToken>>;
let sup: U;
let admin: U;
let opA: U;
let opB: U;
const ids: Record<string, string> = {};
const PERIOD = { from: "2025-03-10", to: "2025-03-11" };

const T = (s: string) => new Date(`2025-${s}Z`);
const iso = (d: Date | undefined) => d?.toISOString() ?? null;
const plus = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

async function conv(
  key: string,
  o: {
    status: "CLOSED" | "EXPIRED" | "OPEN" | "WAITING";
    op?: U;
    tab?: string;
    inst: string;
    created: Date;
    queued?: Date;
    assigned?: Date;
    response?: Date;
    closed?: Date;
    contactName: string;
    phone: string;
  },
) {
  const sql = stack.core.sql;
  const [ct] = await sql`insert into contacts (phone, phone_key, name, search_text)
    values (${o.phone}, ${o.phone}, ${o.contactName}, ${`${o.contactName
      .normalize("NFD")
      .replace(/\p{Diacritic}/gu, "")
      .toLowerCase()} ${o.phone.slice(1)}`})
    returning id`;
  const [c] = await sql`insert into conversations (contact_id, instance_id, status, operator_id, tabulation_id,
      created_at, queued_at, first_assigned_at, assigned_at, first_response_at, closed_at)
    values (${String(ct?.id)}, ${ids[o.inst] ?? ""}, ${o.status}, ${o.op?.user.id ?? null}, ${o.tab ? (ids[o.tab] ?? null) : null},
      ${iso(o.created)}::timestamptz, ${iso(o.queued ?? o.created)}::timestamptz, ${iso(o.assigned)}::timestamptz,
      ${iso(o.assigned)}::timestamptz, ${iso(o.response)}::timestamptz, ${iso(o.closed)}::timestamptz)
    returning id`;
  ids[key] = String(c?.id);
}

beforeAll(async () => {
  stack = await startStack({ worker: false });
  [sup, admin, opA, opB] = await Promise.all([
    userWithToken(stack, "SUPERVISOR"),
    userWithToken(stack, "ADMIN"),
    userWithToken(stack, "OPERATOR", { name: "Ana" }),
    userWithToken(stack, "OPERATOR", { name: "Bruno" }),
  ]);
  const sql = stack.core.sql;
  for (const [k, name] of [
    ["T1", "Venda"],
    ["T2", "Dúvida"],
  ] as const) {
    const [t] = await sql`insert into tabulations (name) values (${name}) returning id`;
    ids[k] = String(t?.id);
  }
  for (const [k, name] of [
    ["I1", "Loja Centro"],
    ["I2", "Loja Norte"],
  ] as const) {
    const [i] =
      await sql`insert into service_instances (name, provider, secrets) values (${name}, 'META', 'x') returning id`;
    ids[k] = String(i?.id);
  }
  const c1 = T("03-10T10:00:00");
  await conv("C1", {
    status: "CLOSED",
    op: opA,
    tab: "T1",
    inst: "I1",
    created: c1,
    assigned: plus(c1, 60),
    response: plus(c1, 90),
    closed: plus(c1, 660),
    contactName: "Élida Souza",
    phone: "+5511900000001",
  });
  const c2 = T("03-10T20:00:00");
  await conv("C2", {
    status: "CLOSED",
    op: opA,
    tab: "T1",
    inst: "I1",
    created: c2,
    queued: plus(c2, 1500),
    assigned: plus(c2, 120),
    response: plus(c2, 210),
    closed: plus(c2, 1320),
    contactName: "Carlos",
    phone: "+5511900000002",
  });
  const c3 = T("03-11T02:00:00");
  await conv("C3", {
    status: "CLOSED",
    op: opB,
    tab: "T2",
    inst: "I2",
    created: c3,
    assigned: plus(c3, 300),
    closed: T("03-11T02:59:59"),
    contactName: '=HYPERLINK("x")',
    phone: "+5511900000003",
  });
  const c4 = T("03-11T02:30:00");
  await conv("C4", {
    status: "CLOSED",
    op: opB,
    tab: "T2",
    inst: "I2",
    created: c4,
    assigned: plus(c4, 30),
    response: plus(c4, 60),
    closed: T("03-11T03:00:00"),
    contactName: 'Silva; "Zé"',
    phone: "+5511900000004",
  });
  const c5 = T("03-12T02:00:00");
  await conv("C5", {
    status: "CLOSED",
    op: opA,
    inst: "I1",
    created: c5,
    assigned: plus(c5, 600),
    response: plus(c5, 720),
    closed: T("03-12T02:59:00"),
    contactName: "Dora",
    phone: "+5511900000005",
  });
  const c6 = T("03-12T02:50:00");
  await conv("C6", {
    status: "CLOSED",
    op: opA,
    tab: "T1",
    inst: "I1",
    created: c6,
    assigned: plus(c6, 5),
    closed: T("03-12T03:00:00"),
    contactName: "Fora Depois",
    phone: "+5511900000006",
  });
  const c7 = T("03-10T02:00:00");
  await conv("C7", {
    status: "CLOSED",
    op: opB,
    tab: "T2",
    inst: "I2",
    created: c7,
    assigned: plus(c7, 5),
    closed: T("03-10T02:59:59"),
    contactName: "Fora Antes",
    phone: "+5511900000007",
  });
  const e1 = T("03-10T12:00:00");
  await conv("E1", {
    status: "EXPIRED",
    inst: "I1",
    created: e1,
    closed: plus(e1, 86400),
    contactName: "Expira Fila",
    phone: "+5511900000008",
  });
  const e2 = T("03-10T13:00:00");
  await conv("E2", {
    status: "EXPIRED",
    op: opB,
    inst: "I2",
    created: e2,
    assigned: plus(e2, 10),
    response: plus(e2, 70),
    closed: plus(e2, 86470),
    contactName: "Expira Bruno",
    phone: "+5511900000009",
  });
  const now = T("03-11T15:00:00");
  await conv("O1", {
    status: "OPEN",
    op: opA,
    inst: "I1",
    created: now,
    assigned: plus(now, 5),
    contactName: "Aberta Ana",
    phone: "+5511900000010",
  });
  await conv("O2", {
    status: "OPEN",
    op: opB,
    inst: "I2",
    created: now,
    assigned: plus(now, 5),
    contactName: "Aberta Bruno",
    phone: "+5511900000011",
  });
  await conv("W1", { status: "WAITING", inst: "I2", created: now, contactName: "Na Fila", phone: "+5511900000012" });
});
afterAll(async () => {
  await stack?.close();
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { code?: string } | undefined)?.code;
    throw err;
  }
}

describe("reports.summary", () => {
  it("computes average, median and p90 of the four times over CLOSED conversations of the local days", async () => {
    const s = await sup.client.reports.summary.query(PERIOD);
    expect(s.counts).toEqual({ closed: 5, expired: 2, waitingNow: 1, openNow: 2 });
    expect(s.closed.waiting).toEqual({ count: 5, avg: 222, median: 120, p90: 480 });
    expect(s.closed.handling).toEqual({ count: 5, avg: 1961.8, median: 1770, p90: 3155.4 });
    expect(s.closed.firstResponse).toEqual({ count: 4, avg: 67.5, median: 60, p90: 111 });
    expect(s.closed.duration).toEqual({ count: 5, avg: 2183.8, median: 1800, p90: 3575.4 });
  });

  it("reports expired conversations apart, with their own times", async () => {
    const s = await admin.client.reports.summary.query(PERIOD);
    expect(s.expired.waiting).toEqual({ count: 1, avg: 10, median: 10, p90: 10 });
    expect(s.expired.handling).toEqual({ count: 1, avg: 86460, median: 86460, p90: 86460 });
    expect(s.expired.duration).toEqual({ count: 2, avg: 86435, median: 86435, p90: 86463 });
  });

  it("buckets the per-day series by the local day of the close, midnight included", async () => {
    const s = await sup.client.reports.summary.query(PERIOD);
    expect(s.period.timezone).toBe("America/Sao_Paulo");
    expect(s.series).toEqual([
      { day: "2025-03-10", closed: 3, expired: 0, avgWaiting: 160, avgHandling: 1699.7, avgFirstResponse: 60 },
      { day: "2025-03-11", closed: 2, expired: 2, avgWaiting: 315, avgHandling: 2355, avgFirstResponse: 75 },
    ]);
    const one = await sup.client.reports.summary.query({ from: "2025-03-09", to: "2025-03-09" });
    expect(one.counts.closed).toBe(1); // C7 at 02:59:59Z is still the 9th locally
    const empty = await sup.client.reports.summary.query({ from: "2025-01-01", to: "2025-01-03" });
    expect(empty.series.map((d) => d.closed)).toEqual([0, 0, 0]);
    expect(empty.closed.handling).toEqual({ count: 0, avg: null, median: null, p90: null });
  });

  it("filters by tabulation, instance and operator", async () => {
    const t2 = await sup.client.reports.summary.query({ ...PERIOD, tabulationId: ids.T2 });
    expect(t2.counts).toEqual({ closed: 2, expired: 0, waitingNow: 0, openNow: 0 });
    const i1 = await sup.client.reports.summary.query({ ...PERIOD, instanceId: ids.I1 });
    expect(i1.counts).toEqual({ closed: 3, expired: 1, waitingNow: 0, openNow: 1 });
    expect(i1.closed.handling.median).toBe(1200);
    const b = await sup.client.reports.summary.query({ ...PERIOD, operatorId: opB.user.id });
    expect(b.counts).toEqual({ closed: 2, expired: 1, waitingNow: 0, openNow: 1 });
  });

  it("gives an operator his own numbers only and refuses another operator's", async () => {
    const mine = await opA.client.reports.summary.query(PERIOD);
    expect(mine.counts).toEqual({ closed: 3, expired: 0, waitingNow: 0, openNow: 1 });
    expect(mine.closed.handling).toEqual({ count: 3, avg: 1580, median: 1200, p90: 2592 });
    expect(await codeOf(opA.client.reports.summary.query({ ...PERIOD, operatorId: opB.user.id }))).toBe("FORBIDDEN");
  });

  it("answers a bad period with BAD_REQUEST naming the field", async () => {
    const err = await sup.client.reports.summary.query({ from: "2025-03-12", to: "2025-03-10" }).catch((e) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect(err.data.code).toBe("BAD_REQUEST");
    expect(err.message).toMatch(/to/);
    expect(await codeOf(sup.client.reports.summary.query({ from: "2025-02-30", to: "2025-03-01" }))).toBe(
      "BAD_REQUEST",
    );
  });
});

describe("reports.byOperator and byTabulation", () => {
  it("lists each operator's handled conversations, times, expired and open now", async () => {
    const rows = await sup.client.reports.byOperator.query(PERIOD);
    expect(rows.map((r) => [r.operatorName, r.handled, r.expired, r.openNow])).toEqual([
      ["Ana", 3, 0, 1],
      ["Bruno", 2, 1, 1],
      [null, 0, 1, 0],
    ]);
    const bruno = rows[1];
    expect(bruno?.metrics.handling).toEqual({ count: 2, avg: 2534.5, median: 2534.5, p90: 3146.1 });
    expect(bruno?.metrics.firstResponse).toEqual({ count: 1, avg: 30, median: 30, p90: 30 });
  });

  it("shows an operator only his own row", async () => {
    const rows = await opB.client.reports.byOperator.query(PERIOD);
    expect(rows.map((r) => r.operatorId)).toEqual([opB.user.id]);
  });

  it("counts closed conversations per tabulation with their share", async () => {
    const r = await sup.client.reports.byTabulation.query(PERIOD);
    expect(r.closed).toBe(5);
    expect(r.expired).toBe(2);
    expect(r.rows).toEqual([
      { tabulationId: ids.T2, tabulationName: "Dúvida", count: 2, share: 0.4 },
      { tabulationId: ids.T1, tabulationName: "Venda", count: 2, share: 0.4 },
      { tabulationId: null, tabulationName: null, count: 1, share: 0.2 },
    ]);
    const mine = await opA.client.reports.byTabulation.query(PERIOD);
    expect(mine.rows.map((x) => [x.tabulationName, x.count])).toEqual([
      ["Venda", 2],
      [null, 1],
    ]);
  });
});

describe("reports.finished", () => {
  it("pages through every finished conversation of the period, newest close first, with the four times", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await sup.client.reports.finished.query({ ...PERIOD, limit: 2, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual(["C5", "E2", "E1", "C4", "C3", "C2", "C1"].map((k) => ids[k]));
    const first = await sup.client.reports.finished.query({ ...PERIOD, limit: 1 });
    const c5 = first.items[0];
    expect(c5?.contact.name).toBe("Dora");
    expect(c5?.operator?.name).toBe("Ana");
    expect(c5?.tabulation).toBeNull();
    expect(c5?.instance.name).toBe("Loja Centro");
    expect(c5?.times).toEqual({ waiting: 600, handling: 2940, firstResponse: 120, duration: 3540 });
  });

  it("filters by contact search (accents ignored), operator and tabulation", async () => {
    const byName = await sup.client.reports.finished.query({ ...PERIOD, search: "elida" });
    expect(byName.items.map((i) => i.id)).toEqual([ids.C1]);
    const byPhone = await sup.client.reports.finished.query({ ...PERIOD, search: "900000004" });
    expect(byPhone.items.map((i) => i.id)).toEqual([ids.C4]);
    const t1 = await sup.client.reports.finished.query({ ...PERIOD, tabulationId: ids.T1, operatorId: opA.user.id });
    expect(t1.items.map((i) => i.id)).toEqual([ids.C2, ids.C1]);
  });

  it("shows an operator his own conversations only", async () => {
    const mine = await opB.client.reports.finished.query(PERIOD);
    expect(mine.items.map((i) => i.id)).toEqual([ids.E2, ids.C4, ids.C3]);
    expect(await codeOf(opB.client.reports.finished.query({ ...PERIOD, operatorId: opA.user.id }))).toBe("FORBIDDEN");
    expect(await codeOf(sup.client.reports.finished.query({ ...PERIOD, cursor: "bm9wZQ" }))).toBe("BAD_REQUEST");
  });
});

describe("GET /reports/finished.csv", () => {
  const protocolOf = async (id: string | undefined) =>
    (await stack.core.sql<{ protocol: string }[]>`select protocol from conversations where id = ${id ?? ""}`)[0]
      ?.protocol;
  const url = (q: string) => `${stack.url}/reports/finished.csv?from=2025-03-10&to=2025-03-11${q}`;

  it("downloads the list as a CSV attachment, oldest close first, ISO dates and minutes", async () => {
    const res = await fetch(url(""), { headers: { authorization: `Bearer ${sup.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".*\.csv"$/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(
      /^conversation_id,protocol,status,contact_name,contact_phone,operator,tabulation,instance,.*,tags,notes,department,csat,ad_source_id,ad_headline$/,
    );
    expect(lines[1]).toBe(
      `${ids.C1},${await protocolOf(ids.C1)},CLOSED,Élida Souza,+5511900000001,Ana,Venda,Loja Centro,` +
        "2025-03-10T10:00:00Z,2025-03-10T10:01:00Z,2025-03-10T10:01:30Z,2025-03-10T10:11:00Z,1.00,10.00,0.50,11.00,,,,,,",
    );
    expect(lines[3]).toContain(`,"'=HYPERLINK(""x"")",`);
  });

  it("has an Excel mode: BOM, semicolons, local pt-BR dates, decimal comma, quoted separators", async () => {
    const res = await fetch(url("&excel=1"), { headers: { cookie: `elsehu_session=${sup.token}` } });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(
      /^Conversa;Protocolo;Situação;Contato;Telefone;Atendente;Tabulação;Canal;Criada em;.*;Etiquetas;Notas internas;Departamento;Satisfação \(1-5\);Anúncio \(id\);Anúncio$/,
    );
    expect(lines[1]).toBe(
      `${ids.C1};${await protocolOf(ids.C1)};Encerrada;Élida Souza;+5511900000001;Ana;Venda;Loja Centro;` +
        "10/03/2025 07:00;10/03/2025 07:01;10/03/2025 07:01;10/03/2025 07:11;1,00;10,00;0,50;11,00;;;;;;",
    );
    expect(lines[4]).toContain(`;"Silva; ""Zé""";`);
    expect(lines[4]).toContain(";11/03/2025 00:00;");
  });

  it("applies the contact search as typed, quotes and backslashes included", async () => {
    const rows = async (search: string) => {
      const res = await fetch(url(`&search=${encodeURIComponent(search)}`), {
        headers: { authorization: `Bearer ${sup.token}` },
      });
      expect(res.status).toBe(200);
      return (await res.text()).trimEnd().split("\r\n").slice(1);
    };
    const [silva] = await rows('silva; "ZÉ"');
    expect(silva?.startsWith(`${ids.C4},`)).toBe(true);
    expect(await rows("900000004")).toHaveLength(1);
    expect(await rows("x' or '1'='1")).toEqual([]);
    expect(await rows("\\'); select pg_sleep(1); --")).toEqual([]);
  });

  it("requires a session, validates the period and keeps an operator to his own rows", async () => {
    expect((await fetch(url(""))).status).toBe(401);
    const bad = await fetch(`${stack.url}/reports/finished.csv?from=10/03/2025&to=2025-03-11`, {
      headers: { authorization: `Bearer ${sup.token}` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/from/);
    const other = await fetch(url(`&operatorId=${opB.user.id}`), { headers: { authorization: `Bearer ${opA.token}` } });
    expect(other.status).toBe(403);
    const mine = await fetch(url(""), { headers: { authorization: `Bearer ${opA.token}` } });
    expect((await mine.text()).trimEnd().split("\r\n")).toHaveLength(4);
  });
});
