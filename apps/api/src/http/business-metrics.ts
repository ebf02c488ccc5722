import { type BusinessSnapshot, type CoreContext, readBusinessMetrics } from "@elsehu/core";
import { Counter, Gauge, type Registry } from "prom-client";

/** How long one database read serves scrapes: N Prometheus servers (or a refreshing dashboard) cost one read. */
const CACHE_MS = 5_000;

type Series = { labels: string[]; value: number }[];

/**
 * The business metrics of docs/metrics.md ("Prometheus metrics") on this process's registry. Every
 * value is read from the database at scrape time (at most once per CACHE_MS, concurrent scrapes
 * sharing the read), so each API process reports the same cluster-wide figures: query them with
 * `max without (instance)`, never `sum`. A failed read is logged, drops the business series from
 * that scrape and sets `elsehu_business_metrics_up` to 0; the process's own metrics still answer.
 */
export function registerBusinessMetrics(
  registry: Registry,
  core: Pick<CoreContext, "sql" | "log">,
  opts: { cacheMs?: number; now?: () => number } = {},
) {
  const cacheMs = opts.cacheMs ?? CACHE_MS;
  const now = opts.now ?? Date.now;
  let cached: { at: number; read: Promise<BusinessSnapshot | null>; done: boolean } | null = null;
  // A read still under way serves every gauge of the scrape that asked for it (they collect at once):
  // one scrape never mixes two moments (say, a queue already empty with its oldest wait from before).
  const snapshot = (): Promise<BusinessSnapshot | null> => {
    if (cached && (!cached.done || now() - cached.at < cacheMs)) return cached.read;
    const entry: { at: number; read: Promise<BusinessSnapshot | null>; done: boolean } = {
      at: now(),
      done: false,
      read: readBusinessMetrics(core)
        .catch((err: unknown) => {
          core.log.warn({ err }, "business metrics: database read failed");
          return null;
        })
        .finally(() => {
          entry.done = true;
        }),
    };
    cached = entry;
    return entry.read;
  };

  const up = new Gauge({
    name: "elsehu_business_metrics_up",
    help: "1 when the last read of the business metrics from the database succeeded",
    registers: [registry],
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });
  const gauge = (name: string, help: string, labelNames: string[], pick: (s: BusinessSnapshot) => Series) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const s = await snapshot();
        if (s) for (const row of pick(s)) this.set(labelsOf(labelNames, row.labels), row.value);
      },
    });
  // Counters read as totals: reset, then set to the database's sum (which never decreases).
  const counter = (name: string, help: string, labelNames: string[], metric: string) =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const s = await snapshot();
        if (s) for (const row of s.counter(metric)) this.inc(labelsOf(labelNames, row.labels), row.value);
      },
    });

  gauge("elsehu_queue_waiting", "Conversations waiting in the queue, by department", ["department"], (s) => s.queue);
  gauge(
    "elsehu_queue_oldest_wait_seconds",
    "How long the oldest waiting conversation of each department has waited",
    ["department"],
    (s) => s.queue.map((r) => ({ labels: r.labels, value: r.oldest })),
  );
  gauge("elsehu_operators", "Active operators by presence status", ["status"], (s) => s.operators);
  gauge("elsehu_webhook_lag_seconds", "Age of the oldest stored webhook not processed yet (0: none)", [], (s) => [
    { labels: [], value: s.webhookLagSeconds },
  ]);
  gauge(
    "elsehu_jobs",
    "Background jobs in graphile-worker's queue by task and state",
    ["task", "state"],
    (s) => s.jobs,
  );
  counter(
    "elsehu_messages_total",
    "Messages stored: inbound received, outbound queued (internal notes excepted)",
    ["direction", "provider", "type"],
    "messages",
  );
  counter(
    "elsehu_provider_errors_total",
    "Errors answered by a provider to a send (chat and campaign), retried or final",
    ["provider", "code"],
    "provider_errors",
  );
  counter(
    "elsehu_campaign_messages_total",
    "Campaign recipients reaching each outcome",
    ["status"],
    "campaign_messages",
  );
  return { up };
}

function labelsOf(names: string[], values: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? "none"]));
}
