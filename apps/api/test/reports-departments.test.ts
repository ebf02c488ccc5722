import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * One local day, 2025-03-10 (America/Sao_Paulo), closes at 15:00Z.
 *
 *       department  status   wait  handle 1st resp  CSAT
 * V1    Vendas      CLOSED     60     600      30     5
 * V2    Vendas      CLOSED    120    1200      90     4
 * V3    Vendas      CLOSED    180     300      60     asked, no answer
 * S1    Suporte     CLOSED    300     900     120     2
 * S2    Suporte     EXPIRED
 * N1    (none)      CLOSED     30     100      10     -
 * W1    Vendas      WAITING now;  O1  Suporte  OPEN now
 */
let stack: Stack;
type U = Awaited<ReturnType<typeof userWithToken>>;
let admin: U;
let limited: U;
let operator: U;
const dep: Record<string, string> = {};
const PERIOD = { from: "2025-03-10", to: "2025-03-10" };
let instanceId = "";
let n = 0;

async function conv(o: {
  department?: string;
  status: "CLOSED" | "EXPIRED" | "WAITING" | "OPEN";
  wait?: number;
  handle?: number;
  response?: number;
  csat?: number | "asked";
}) {
  n++;
  const sql = stack.core.sql;
  const phone = `+55119000${String(n).padStart(5, "0")}`;
  const [ct] = await sql`insert into contacts (phone, phone_key, name, search_text)
    values (${phone}, ${phone}, ${`Cliente ${n}`}, ${`cliente ${n}`}) returning id`;
  const created = new Date("2025-03-10T14:00:00Z");
  const at = (s: number | undefined) => (s === undefined ? null : new Date(created.getTime() + s * 1000).toISOString());
  const assigned = o.wait === undefined ? undefined : o.wait;
  const finished = o.status === "CLOSED" || o.status === "EXPIRED";
  await sql`insert into conversations (contact_id, instance_id, status, department_id, operator_id,
      created_at, queued_at, first_assigned_at, assigned_at, first_response_at, closed_at, csat_asked_at, csat_score)
    values (${String(ct?.id)}, ${instanceId}, ${o.status}, ${o.department ? (dep[o.department] ?? null) : null},
      ${o.status === "OPEN" ? operator.user.id : null},
      ${created.toISOString()}::timestamptz, ${created.toISOString()}::timestamptz, ${at(assigned)}::timestamptz,
      ${at(assigned)}::timestamptz,
      ${o.response === undefined || assigned === undefined ? null : at(assigned + o.response)}::timestamptz,
      ${finished ? "2025-03-10T15:00:00Z" : null}::timestamptz,
      ${o.csat === undefined ? null : "2025-03-10T15:01:00Z"}::timestamptz,
      ${typeof o.csat === "number" ? o.csat : null})`;
}

beforeAll(async () => {
  stack = await startStack({ worker: false });
  [admin, limited, operator] = await Promise.all([
    userWithToken(stack, "ADMIN"),
    userWithToken(stack, "SUPERVISOR"),
    userWithToken(stack, "OPERATOR"),
  ]);
  for (const name of ["Vendas", "Suporte"]) {
    dep[name] = (await admin.client.departments.create.mutate({ name })).id;
  }
  // The supervisor watches Vendas only.
  await admin.client.departments.setMembers.mutate({
    departmentId: dep.Vendas ?? "",
    members: [{ userId: limited.user.id }],
  });
  const [i] = await stack.core
    .sql`insert into service_instances (name, provider, secrets) values ('Loja', 'META', 'x') returning id`;
  instanceId = String(i?.id);
  await conv({ department: "Vendas", status: "CLOSED", wait: 60, handle: 600, response: 30, csat: 5 });
  await conv({ department: "Vendas", status: "CLOSED", wait: 120, handle: 1200, response: 90, csat: 4 });
  await conv({ department: "Vendas", status: "CLOSED", wait: 180, handle: 300, response: 60, csat: "asked" });
  await conv({ department: "Suporte", status: "CLOSED", wait: 300, handle: 900, response: 120, csat: 2 });
  await conv({ department: "Suporte", status: "EXPIRED" });
  await conv({ status: "CLOSED", wait: 30, handle: 100, response: 10 });
  await conv({ department: "Vendas", status: "WAITING" });
  await conv({ department: "Suporte", status: "OPEN", wait: 10 });
});
afterAll(async () => {
  await stack.close();
});

describe("reports by department", () => {
  it("breaks the period down per department: volume, now, times and CSAT, with no department last", async () => {
    const rows = await admin.client.reports.byDepartment.query(PERIOD);
    expect(rows.map((r) => r.departmentName)).toEqual(["Vendas", "Suporte", null]);
    const [vendas, suporte, none] = rows;
    expect(vendas).toMatchObject({
      departmentId: dep.Vendas,
      closed: 3,
      expired: 0,
      waitingNow: 1,
      openNow: 0,
      csat: { average: 4.5, answered: 2, asked: 3, answerRate: 0.6667 },
    });
    expect(vendas?.metrics.waiting).toMatchObject({ count: 3, avg: 120, median: 120 });
    expect(vendas?.metrics.firstResponse.avg).toBe(60);
    expect(suporte).toMatchObject({
      closed: 1,
      expired: 1,
      waitingNow: 0,
      openNow: 1,
      csat: { average: 2, answered: 1, asked: 1, answerRate: 1 },
    });
    expect(suporte?.metrics.waiting.avg).toBe(300);
    expect(none).toMatchObject({
      departmentId: null,
      closed: 1,
      csat: { average: null, answered: 0, answerRate: null },
    });
  });

  it("filters every report by department", async () => {
    const summary = await admin.client.reports.summary.query({ ...PERIOD, departmentId: dep.Suporte });
    expect(summary.counts).toMatchObject({ closed: 1, expired: 1, waitingNow: 0, openNow: 1 });
    const rows = await admin.client.reports.byDepartment.query({ ...PERIOD, departmentId: dep.Vendas });
    expect(rows.map((r) => r.departmentName)).toEqual(["Vendas"]);
    const res = await fetch(
      `${stack.url}/reports/finished.csv?from=2025-03-10&to=2025-03-10&departmentId=${dep.Suporte}`,
      {
        headers: { authorization: `Bearer ${admin.token}` },
      },
    );
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]?.endsWith(",department,csat,ad_source_id,ad_headline")).toBe(true);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(",").slice(-4, -2).join(","))
        .sort(),
    ).toEqual(["Suporte,", "Suporte,2"]);
  });

  it("gives a supervisor limited to some departments only theirs, in the breakdown, the figures and the export", async () => {
    const rows = await limited.client.reports.byDepartment.query(PERIOD);
    expect(rows.map((r) => r.departmentName)).toEqual(["Vendas"]);
    const summary = await limited.client.reports.summary.query(PERIOD);
    expect(summary.counts).toMatchObject({ closed: 3, expired: 0, waitingNow: 1, openNow: 0 });
    const err = await limited.client.reports.byDepartment
      .query({ ...PERIOD, departmentId: dep.Suporte })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect((err as TRPCClientError<never>).data).toMatchObject({ code: "FORBIDDEN", reason: "DEPARTMENT_NOT_YOURS" });
    const csv = await fetch(`${stack.url}/reports/finished.csv?from=2025-03-10&to=2025-03-10&excel=1`, {
      headers: { authorization: `Bearer ${limited.token}` },
    });
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/;Departamento;Satisfação \(1-5\);Anúncio \(id\);Anúncio$/);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(";").slice(-4, -2).join(";"))
        .sort(),
    ).toEqual(["Vendas;", "Vendas;4", "Vendas;5"]);
    const refused = await fetch(
      `${stack.url}/reports/finished.csv?from=2025-03-10&to=2025-03-10&departmentId=${dep.Suporte}`,
      { headers: { authorization: `Bearer ${limited.token}` } },
    );
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ reason: "DEPARTMENT_NOT_YOURS" });
  });
});
