import { z } from "zod";
import { InvariantError } from "../shared/errors";

/** Why the queue-draining job was asked for (logged by the task; "cron" is the safety net). */
export const ASSIGNMENT_REASONS = [
  "created",
  "online",
  "unpaused",
  "closed",
  "expired",
  "queued",
  "reopened",
  "retry",
  "cron",
] as const;

const uuid = z.string().uuid();
/** A job with nothing to say (most crons). graphile adds `_cron` to a cron job's payload: zod strips it. */
const none = z.object({});

/**
 * Every graphile-worker job: its name (`domain/verb_noun`) and the zod schema of its payload.
 * `addJob` takes only these names, with their payload type, and checks the payload before
 * queueing it; `defineTask` (apps/worker/src/tasks/define.ts) parses with the same schema,
 * so queueing and running can't drift apart. A new job starts here.
 */
export const JOBS = {
  "auth/purge_expired": none,
  "campaigns/ack_opt_out": z.object({ contactId: uuid, instanceId: uuid }),
  "campaigns/dispatch_tick": z.object({ campaignId: uuid }),
  "campaigns/resume_stalled": none,
  "contacts/import_csv": z.object({ importId: uuid }),
  "conversations/assign_waiting": z.object({
    reason: z.enum(ASSIGNMENT_REASONS).optional(),
    conversationId: uuid.optional(),
  }),
  "conversations/expire_idle": none,
  "conversations/route_timeouts": none,
  /** Folds the business counters' rows (metric_counts) into one per label set. */
  "metrics/compact_counts": none,
  "messages/fetch_media": z.object({ messageId: uuid, attempt: z.number().int().min(1).max(100).default(1) }),
  "messages/mark_read": z.object({ conversationId: uuid }),
  // Retired: jobs still queued from before the webhook inbox end at once (see its task).
  "messages/process_webhook": z.unknown(),
  "messages/send_message": z.object({ messageId: uuid }),
  /** Automatic messages queued together (the menus of a burst of first messages), sent a few at a time. */
  "messages/send_batch": z.object({ messageIds: z.array(uuid).min(1).max(500) }),
  "messages/show_typing": z.object({ conversationId: uuid }),
  "presence/sweep": none,
  /** One Meta number's templates, or every Meta number's (the hourly cron). */
  "templates/sync_meta": z.object({ instanceId: uuid.optional() }),
  "webhooks/purge_processed": none,
  /** One lane (a conversation, or one delivery) of an outbound webhook endpoint; queued by the webhook_fanout trigger too. */
  "webhooks/deliver_lane": z.object({ endpointId: uuid, lane: z.string().min(1).max(200) }),
} satisfies Record<string, z.ZodType>;

export type JobName = keyof typeof JOBS;
/** What a caller passes to `addJob` (defaults may be left out). */
export type JobPayload<N extends JobName> = z.input<(typeof JOBS)[N]>;
/** What the task receives once parsed (defaults filled in). */
export type ParsedJobPayload<N extends JobName> = z.output<(typeof JOBS)[N]>;

export const isJobName = (name: string): name is JobName => Object.hasOwn(JOBS, name);

/**
 * A job's payload that does not match its schema: a bug in whoever queued it (answered 500, the
 * transaction that queued it rolls back). The message names the job and the failing fields.
 */
export class JobPayloadError extends InvariantError {
  override name = "JobPayloadError";
  constructor(
    readonly job: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(`job ${job}: bad payload (${issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")})`);
  }
}

/** Parses a job's payload with its catalog schema; throws JobPayloadError naming the job. */
export function parseJobPayload<N extends JobName>(name: N, payload: unknown): ParsedJobPayload<N> {
  const parsed = JOBS[name].safeParse(payload ?? {});
  if (!parsed.success) throw new JobPayloadError(name, parsed.error.issues);
  return parsed.data as ParsedJobPayload<N>;
}
