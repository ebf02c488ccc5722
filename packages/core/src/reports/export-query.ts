import { sqlLiteral } from "../shared/copy-out";
import type { ParsedFilter } from "./filter";
import { searchPatterns } from "./finished-query";

/** filter.ts's adKey, as SQL text (COPY takes no parameters). */
const AD_KEY = "coalesce(c.referral->>'sourceId', c.referral->>'sourceUrl')";
const DATE_COLS = ["created_at", "first_assigned_at", "first_response_at", "closed_at"] as const;
const TIME_COLS = ["wait_s", "handle_s", "first_response_s", "duration_s"] as const;

/**
 * One CSV cell of free text: quoted when it holds the separator, a quote or a
 * line break; prefixed with ' when it starts like a formula (shared/csv-guard.ts: = + - @ TAB CR), so a spreadsheet
 * never evaluates it.
 */
function textCell(x: string, sep: string): string {
  const guarded = `(case when left(${x}, 1) in ('=', '+', '-', '@', E'\\t', E'\\r') then '''' || ${x} else ${x} end)`;
  return `coalesce(case when ${x} ~ '[${sep}"\\r\\n]' then '"' || replace(${guarded}, '"', '""') || '"' else ${guarded} end, '')`;
}

/**
 * Whole seconds as minutes with two decimals: exactly `to_char(round(s / 60.0, 2), 'FM…0.00')` (s / 60 is
 * never halfway between two hundredths, so rounding half up in integers agrees) at a third of its cost.
 */
function minutesCell(x: string, point: string): string {
  const h = `((abs(${x}::int8) * 10 + 3) / 6)`;
  return `coalesce(case when ${x} < 0 then '-' else '' end || ${h} / 100 || '${point}' || substr((${h} % 100 + 100)::text, 2), '')`;
}

/**
 * The SELECT of the export as SQL text (COPY takes no parameters: values go
 * through sqlLiteral). Each row is one finished CSV line ending in CRLF, built
 * by Postgres, so the API only passes bytes along. Dates are formatted in the
 * session time zone, which exportFinishedCsv sets for the transaction.
 */
export function exportSelect(f: ParsedFilter & { search?: string }, tz: string, excel: boolean): string {
  const sep = excel ? ";" : ",";
  const lit = sqlLiteral;
  const dateFormat = excel ? "DD/MM/YYYY HH24:MI" : 'YYYY-MM-DD"T"HH24:MI:SS"Z"';
  const cells = [
    "c.id::text",
    "c.protocol",
    excel ? "case c.status when 'CLOSED' then 'Encerrada' else 'Expirada' end" : "c.status::text",
    textCell("ct.name", sep),
    "coalesce(ct.phone, '')",
    textCell("u.name", sep),
    textCell("t.name", sep),
    textCell("i.name", sep),
    ...DATE_COLS.map((col) => `coalesce(to_char(c.${col}, '${dateFormat}'), '')`),
    ...TIME_COLS.map((col) => minutesCell(`c.${col}`, excel ? "," : ".")),
    textCell("array_to_string(c.tags, ' | ')", sep),
    textCell("nt.notes", sep),
    textCell("d.name", sep),
    "coalesce(c.csat_score::text, '')",
    textCell(AD_KEY, sep),
    // Parenthesised: `'x' || c.referral->>'headline'` would concatenate to the jsonb first.
    textCell("(c.referral->>'headline')", sep),
  ];
  const { search, digits, protocol } = searchPatterns(f.search);
  // The rows of finishedFrom (reports.finished): finishedWhere's period and filters, and the contact search.
  const where = [
    "c.status in ('CLOSED', 'EXPIRED')",
    `c.closed_at >= (${lit(f.from)}::date)::timestamp at time zone ${lit(tz)}`,
    `c.closed_at < (${lit(f.to)}::date + 1)::timestamp at time zone ${lit(tz)}`,
    f.operatorId ? `c.operator_id = ${lit(f.operatorId)}::uuid` : null,
    f.tabulationId ? `c.tabulation_id = ${lit(f.tabulationId)}::uuid` : null,
    f.instanceId ? `c.instance_id = ${lit(f.instanceId)}::uuid` : null,
    f.departmentId ? `c.department_id = ${lit(f.departmentId)}::uuid` : null,
    f.tag ? `c.tags @> array[${lit(f.tag)}]::text[]` : null,
    f.adSource === "any" ? "c.referral is not null" : null,
    f.adSource === "none" ? "c.referral is null" : null,
    f.adSource && f.adSource !== "any" && f.adSource !== "none" ? `${AD_KEY} = ${lit(f.adSource)}` : null,
    f.departmentIds ? `c.department_id in (${f.departmentIds.map((d) => `${lit(d)}::uuid`).join(", ")})` : null,
    search
      ? `(ct.search_text like ${lit(search)}${digits ? ` or ct.phone like ${lit(digits)}` : ""}${protocol ? ` or c.protocol like ${lit(protocol)}` : ""})`
      : null,
  ].filter((x) => x !== null);
  return `select concat_ws('${sep}', ${cells.join(", ")}) || E'\\r\\n'
    from conversations c
    join contacts ct on ct.id = c.contact_id
    join service_instances i on i.id = c.instance_id
    left join users u on u.id = c.operator_id
    left join tabulations t on t.id = c.tabulation_id
    left join departments d on d.id = c.department_id
    -- Internal notes, oldest first (the partial index messages_notes_idx finds them).
    left join lateral (select string_agg(n.body, ' | ' order by n.created_at, n.seq) as notes
      from messages n where n.conversation_id = c.id and n.type = 'note') nt on true
    where ${where.join(" and ")}
    order by c.closed_at asc, c.id asc`;
}
