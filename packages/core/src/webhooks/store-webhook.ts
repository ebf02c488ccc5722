import type { Sql } from "@elsehu/db";
import { bug } from "../shared/errors";
import { currentTraceparent } from "../telemetry/spans";
import { WEBHOOKS_CHANNEL } from "./webhook-inbox";

export type StoredWebhookInput = {
  instanceId: string;
  provider: "META" | "EVOLUTION";
  body: string;
  /** W3C traceparent of the request (tracing on), so the worker's spans join its trace. */
  trace?: string | null;
};

/**
 * Stores raw webhook bodies in ONE statement (hence one transaction): once the caller
 * answers 200, the events survive any crash and will be processed, since every stored
 * webhook not processed yet is a job of the webhook inbox (webhook-inbox.ts). The
 * commit's NOTIFY wakes the workers.
 */
export async function storeWebhooks(sql: Sql, inputs: StoredWebhookInput[]): Promise<number[]> {
  const rows = inputs.map((w, ord) => ({
    ord,
    instance_id: w.instanceId,
    provider: w.provider,
    body: w.body,
    trace: w.trace ?? null,
  }));
  // One JSON parameter rather than JS arrays (see SharedRateLimiter.sync for why).
  const stored = await sql<{ id: string }[]>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as r(ord int, instance_id uuid, provider text, body text, trace text)
    ), e as (
      insert into webhook_events (instance_id, provider, body, trace)
      select instance_id, provider::provider_kind, body, trace from input order by ord
      returning id
    ), wake as (
      select pg_notify(${WEBHOOKS_CHANNEL}, '')
    )
    select e.id from e, wake order by e.id`;
  if (stored.length !== inputs.length) throw bug("webhook insert stored a different number of rows");
  return stored.map((r) => Number(r.id));
}

export type WebhookWriterOptions = {
  /** Most bodies in one statement. */
  maxBatch: number;
  /** Writes at once (see below why one). */
  maxInFlight: number;
  /** How long a write waits for company under a burst; 0 never waits. */
  lingerMs: number;
  /** A write of this many bodies or more means a burst. */
  burst: number;
};

/**
 * Group commit for webhook acknowledgements. Every accept waits for its own
 * commit before answering 200, but bodies arriving while a write is in flight
 * share the next statement: under a burst, one insert and one commit per batch
 * instead of one per request. At low rates each batch holds one body: no added
 * latency.
 *
 * One write in flight by default: every such commit NOTIFYs (the inbox's wake-up),
 * and Postgres serializes notifying commits on one lock held through the WAL flush,
 * as are the worker's commits that publish events. Two writes in flight made
 * twice the commits of half the size and waited on that lock (bench webhooks,
 * when each write also added a graphile job: 1,816 acks/s with one in flight,
 * 1,122 with two, 973 with four).
 *
 * Under a burst (the last write carried `burst` bodies or more), the next write
 * waits `lingerMs` for more bodies to join, unless a full batch already waits:
 * Postgres's commit_delay, for the same reason. A write has a fixed cost whatever
 * its size (its statement and commit; then also graphile's add_job and the job's
 * fetch and completion, about 1.5 ms of CPU in all); at 2 ms, batches under the
 * bench's saturation doubled and acknowledgements went from 2,818-2,907/s to
 * 3,269-3,443/s, with a lower p99. A lone webhook (the last write was small) is
 * written at once.
 *
 * A batch that fails (say, an instance deleted a moment ago breaks a foreign key)
 * is retried one body at a time, so one bad body never fails its neighbours.
 */
export class WebhookWriter {
  private waiting: Array<{ input: StoredWebhookInput; done: (err: unknown) => void }> = [];
  private inFlight = 0;
  private lastBatch = 0;
  private lingering = false;
  private opts: WebhookWriterOptions;

  constructor(
    private sql: Sql,
    opts: Partial<WebhookWriterOptions> = {},
  ) {
    this.opts = { maxBatch: 200, maxInFlight: 1, lingerMs: 2, burst: 8, ...opts };
  }

  store(input: StoredWebhookInput): Promise<void> {
    // The request's trace, taken now: the write itself runs in whichever request's context starts it.
    const trace = input.trace === undefined ? currentTraceparent() : input.trace;
    const stored = trace ? { ...input, trace } : input;
    return new Promise((resolve, reject) => {
      this.waiting.push({ input: stored, done: (err) => (err ? reject(err) : resolve()) });
      this.pump();
    });
  }

  private pump(): void {
    if (this.lingering) return;
    const { lingerMs, burst, maxBatch } = this.opts;
    const underBurst = lingerMs > 0 && this.lastBatch >= burst;
    if (underBurst && this.inFlight === 0 && this.waiting.length > 0 && this.waiting.length < maxBatch) {
      this.lingering = true;
      this.lastBatch = 0;
      setTimeout(() => {
        this.lingering = false;
        this.pump();
      }, lingerMs);
      return;
    }
    while (this.inFlight < this.opts.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, maxBatch);
      this.lastBatch = batch.length;
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(batch: WebhookWriter["waiting"]): Promise<void> {
    try {
      await storeWebhooks(
        this.sql,
        batch.map((b) => b.input),
      );
      for (const b of batch) b.done(null);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.done(err);
        return;
      }
      await Promise.all(
        batch.map((b) =>
          storeWebhooks(this.sql, [b.input]).then(
            () => b.done(null),
            (e: unknown) => b.done(e),
          ),
        ),
      );
    }
  }
}
