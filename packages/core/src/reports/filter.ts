import type postgres from "postgres";
import { z } from "zod";
import { TagFilter } from "../conversations/tags";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { uuidArray } from "../shared/sql-arrays";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An ad's id as reports key it (`adKey`), or `any` / `none`. */
export const AdSourceFilter = z.string().trim().min(1).max(200);

/**
 * The ad a conversation came from, as reports group and filter it: the ad's id, or its
 * link when Meta sent no id (a post rather than an ad); null when it came from no ad.
 */
export function adKey(sql: postgres.Sql): postgres.Fragment {
  return sql`coalesce(c.referral->>'sourceId', c.referral->>'sourceUrl')`;
}
const MAX_DAYS = 366;

/** A calendar day in the report timezone, `YYYY-MM-DD`; rejects impossible dates such as 2025-02-30. */
const Day = z
  .string()
  .regex(DAY, "expected a date as YYYY-MM-DD")
  .refine((s) => {
    // zod runs refinements even after the regex failed: guard before building a Date.
    if (!DAY.test(s)) return true;
    const t = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
  }, "not a valid calendar date");

/**
 * Which conversations a report covers. The period is whole days `from`..`to`
 * (both inclusive) in the configured timezone; finished conversations are
 * selected by the day of `closed_at` there.
 */
export const ReportFilter = z
  .object({
    from: Day,
    to: Day,
    operatorId: z.string().uuid().optional(),
    tabulationId: z.string().uuid().optional(),
    instanceId: z.string().uuid().optional(),
    departmentId: z.string().uuid().optional(),
    /** Conversations carrying this tag (compared case-insensitively, as tags are stored lower-case). */
    tag: TagFilter.optional(),
    /** The click-to-WhatsApp ad they came from: one ad's id, `any` (some ad) or `none` (no ad). */
    adSource: AdSourceFilter.optional(),
  })
  .refine((f) => f.from <= f.to, { path: ["to"], message: "must be on or after from" })
  .refine((f) => daysBetween(f.from, f.to) < MAX_DAYS, {
    path: ["to"],
    message: `period longer than ${MAX_DAYS} days`,
  });
export type ReportFilter = z.input<typeof ReportFilter>;
/** `departmentIds`: set by scopeFilter for a supervisor limited to some departments. */
export type ParsedFilter = z.output<typeof ReportFilter> & { departmentIds?: string[] };

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Every day of the period, so charts get zero-filled series. */
export function periodDays(f: ParsedFilter): string[] {
  const out: string[] = [];
  const start = Date.parse(`${f.from}T00:00:00Z`);
  const n = daysBetween(f.from, f.to);
  for (let i = 0; i <= n; i++) out.push(new Date(start + i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

/**
 * Isolation rule shared by every report: an OPERATOR's reports are forced to
 * his own conversations; asking for another operator is FORBIDDEN. A
 * supervisor limited to some departments gets only theirs (asking for another
 * department is FORBIDDEN).
 */
export async function scopeFilter<T extends { operatorId?: string; departmentId?: string }>(
  ctx: Pick<CoreContext, "sql">,
  viewer: Actor,
  f: T,
): Promise<T & { departmentIds?: string[] }> {
  if (viewer.role === "SUPERVISOR") {
    const rows = await ctx.sql<{ id: string }[]>`
      select department_id as id from department_members where user_id = ${viewer.id} and role = 'SUPERVISOR'`;
    if (rows.length === 0) return f;
    const scope = rows.map((r) => r.id);
    if (f.departmentId && !scope.includes(f.departmentId))
      throw new DomainError("DEPARTMENT_NOT_YOURS", "This department is not one of yours");
    return { ...f, departmentIds: scope };
  }
  if (viewer.role !== "OPERATOR") return f;
  if (f.operatorId && f.operatorId !== viewer.id)
    throw new DomainError("REPORT_NOT_OWN", "Operators can only see their own numbers");
  return { ...f, operatorId: viewer.id };
}

/**
 * `closed_at` within the period. Day boundaries are computed by Postgres
 * (`day::timestamp at time zone tz`) so daylight-saving rules come from tzdata,
 * and the expressions stay index-friendly on `closed_at`.
 */
export function finishedWhere(sql: postgres.Sql, f: ParsedFilter, tz: string): postgres.Fragment {
  return sql`c.status in ('CLOSED', 'EXPIRED') and ${periodWhere(sql, f, tz)}`;
}

/** `closed_at` within the period and the dimension filters, for callers that pick the status themselves. */
export function periodWhere(sql: postgres.Sql, f: ParsedFilter, tz: string): postgres.Fragment {
  return sql`c.closed_at >= (${f.from}::date)::timestamp at time zone ${tz}
    and c.closed_at < (${f.to}::date + 1)::timestamp at time zone ${tz}
    ${dimensionWhere(sql, f)}`;
}

/** Operator, tabulation, instance, department, tag and ad source filters (also applied to open conversations). */
export function dimensionWhere(sql: postgres.Sql, f: Omit<ParsedFilter, "from" | "to">): postgres.Fragment {
  return sql`${f.operatorId ? sql`and c.operator_id = ${f.operatorId}` : sql``}
    ${f.departmentId ? sql`and c.department_id = ${f.departmentId}` : sql``}
    ${f.departmentIds ? sql`and c.department_id = any(${uuidArray(f.departmentIds)}::uuid[])` : sql``}
    ${f.tabulationId ? sql`and c.tabulation_id = ${f.tabulationId}` : sql``}
    ${f.instanceId ? sql`and c.instance_id = ${f.instanceId}` : sql``}
    ${f.tag ? sql`and c.tags @> array[${f.tag}]::text[]` : sql``}
    ${f.adSource ? adSourceWhere(sql, f.adSource) : sql``}`;
}

function adSourceWhere(sql: postgres.Sql, adSource: string): postgres.Fragment {
  if (adSource === "any") return sql`and c.referral is not null`;
  if (adSource === "none") return sql`and c.referral is null`;
  return sql`and ${adKey(sql)} = ${adSource}`;
}

/** Parses with a VALIDATION DomainError naming the field, for callers outside tRPC (the CSV route). */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  throw new DomainError("INVALID_INPUT", issues.map((i) => `${i.path || "input"}: ${i.message}`).join("; "), {
    field: issues[0]?.path,
    issues,
  });
}

/**
 * Runs report statements on one reserved connection inside a transaction with
 * settings fit for them: percentiles sort hundreds of thousands of values,
 * which spill to disk under the default 4 MB work_mem, and JIT compilation
 * costs more than it saves on these plans. Reports may also run longer than
 * the connections' statement_timeout: they get REPORT_STATEMENT_TIMEOUT.
 * `set local` scopes all three to the transaction; callers run several of
 * these at once to use several backends.
 */
export async function reportTx<T>(
  ctx: Pick<CoreContext, "sql" | "config">,
  fn: (conn: postgres.Sql) => Promise<T>,
): Promise<T> {
  const conn = await ctx.sql.reserve();
  try {
    const timeout = reportStatementTimeoutMs(ctx.config);
    await conn.unsafe(
      `begin; set local work_mem = '128MB'; set local jit = off; set local statement_timeout = ${timeout}`,
    );
    const value = await fn(conn);
    await conn.unsafe("commit");
    return value;
  } catch (err) {
    await conn.unsafe("rollback").catch(() => {});
    throw err;
  } finally {
    conn.release();
  }
}

/** The statement_timeout (ms) of report queries and exports: REPORT_STATEMENT_TIMEOUT, 5 minutes by default. */
export function reportStatementTimeoutMs(config: Pick<CoreContext["config"], "reportStatementTimeoutMs">): number {
  return Math.max(0, Math.floor(config.reportStatementTimeoutMs ?? 300_000));
}
