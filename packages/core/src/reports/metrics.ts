import type postgres from "postgres";

/**
 * The four report times, in seconds. See docs/metrics.md; the pt-BR texts are
 * the console's tooltips, so the definition shown is the one computed here.
 */
export const METRICS = {
  waiting: {
    label: "Tempo de espera (TME)",
    tooltip: "Da entrada na fila até a primeira atribuição a um atendente.",
  },
  handling: {
    label: "Tempo de atendimento (TMA)",
    tooltip: "Da primeira atribuição a um atendente até o encerramento. Conversas expiradas ficam de fora.",
  },
  firstResponse: {
    label: "Tempo até a primeira resposta",
    tooltip: "Da primeira atribuição até a primeira mensagem enviada por um atendente (não automática).",
  },
  duration: {
    label: "Duração",
    tooltip: "Da criação da conversa até o encerramento.",
  },
} as const;
export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];
/** Column alias of each metric in report queries. */
const COL: Record<MetricName, string> = {
  waiting: "waiting",
  handling: "handling",
  firstResponse: "first_response",
  duration: "duration",
};
/** Stored generated column of each metric on `conversations` (whole seconds). */
const STORED: Record<MetricName, string> = {
  waiting: "wait_s",
  handling: "handle_s",
  firstResponse: "first_response_s",
  duration: "duration_s",
};

/**
 * Per-row times over alias `c` (conversations): whole seconds, kept by Postgres in stored generated
 * columns (schema/messaging.ts holds the definitions of docs/metrics.md: queue entry `queued_at` unless
 * re-queued after the first assignment, then `created_at`; a reply before the assignment counts as 0).
 */
export function metricColumns(sql: postgres.Sql): Record<MetricName, postgres.Fragment> {
  return {
    waiting: sql.unsafe(`c.${STORED.waiting}`),
    handling: sql.unsafe(`c.${STORED.handling}`),
    firstResponse: sql.unsafe(`c.${STORED.firstResponse}`),
    duration: sql.unsafe(`c.${STORED.duration}`),
  };
}

/** The four per-row metrics as select-list items aliased by their column names. */
export function metricSelect(sql: postgres.Sql): postgres.Fragment {
  const m = metricColumns(sql);
  return sql`${m.waiting} as waiting, ${m.handling} as handling,
    ${m.firstResponse} as first_response, ${m.duration} as duration`;
}

/**
 * `<name>_n, <name>_avg, <name>_pct` (median and p90 in one sort) over the stored columns of alias `c`.
 * The columns are integers, so these sorts are about twice as fast as over fractional seconds.
 */
export function metricAggregates(sql: postgres.Sql, names: readonly MetricName[] = METRIC_NAMES): postgres.Fragment {
  return sql.unsafe(
    names
      .map((n) => {
        const [x, c] = [`c.${STORED[n]}`, COL[n]];
        return (
          `count(${x})::int as ${c}_n, avg(${x}) as ${c}_avg, ` +
          `percentile_cont(array[0.5, 0.9]) within group (order by ${x}) as ${c}_pct`
        );
      })
      .join(", "),
  );
}

export type MetricStats = { count: number; avg: number | null; median: number | null; p90: number | null };
export type Metrics = Record<MetricName, MetricStats>;

const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

/** Shapes one aggregate row (from `metricAggregates`) into `{ waiting: { count, avg, median, p90 }, ... }`. */
export function readMetrics(row: Record<string, unknown> | undefined): Metrics {
  const out = {} as Metrics;
  for (const n of METRIC_NAMES) {
    const c = COL[n];
    const pct = row?.[`${c}_pct`];
    const [median, p90] = Array.isArray(pct) ? pct : [null, null];
    out[n] = {
      count: Number(row?.[`${c}_n`] ?? 0),
      avg: round(row?.[`${c}_avg`]),
      median: round(median),
      p90: round(p90),
    };
  }
  return out;
}
