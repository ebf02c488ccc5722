import { webhookDeliveries, webhookEndpoints } from "@elsehu/db";
import { and, asc, eq, sql } from "drizzle-orm";
import { publishEvent } from "../events/publish";
import { addJob } from "../jobs/add-job";
import type { ParsedJobPayload } from "../jobs/catalog";
import type { CoreContext } from "../shared/context";
import { decryptJson } from "../shared/crypto";
import { buildDeliveryData } from "./delivery-data";
import { DELIVER_LANE_JOB, laneJobKey } from "./event-types";
import { type PostOutcome, postWebhook } from "./post-webhook";

/** The job's payload (schema in the job catalog). */
export type DeliverLaneInput = ParsedJobPayload<typeof DELIVER_LANE_JOB>;

/** Deliveries are retried for this long after they were queued, then given up (FAILED). */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3600_000;
/** A single wait between attempts never exceeds this, however many attempts came before. */
const MAX_STEP_MS = 3600_000;
/** Deliveries one job run sends before handing the rest of its lane to a fresh job. */
const PER_RUN = 25;

type Delivery = typeof webhookDeliveries.$inferSelect;
type Endpoint = typeof webhookEndpoints.$inferSelect;

/**
 * Delivers one lane of an endpoint in id order (the worker's
 * `webhooks/deliver_lane`): a lane is one conversation's events, so they reach
 * the receiver in order; its head is retried with exponential backoff
 * (`WEBHOOK_RETRY_BASE_MS`, doubling, ≤ 1 h a step) until a 2xx, for 24 h, and
 * nothing behind it goes first. At least once: the head is claimed for the
 * request's duration plus a margin, so two jobs of one lane (graphile may run a
 * keyed job twice) never post at once, and a worker that dies mid-request leaves
 * a claim that expires. `WEBHOOK_DISABLE_AFTER_FAILURES` failed attempts in a
 * row turn the endpoint off and tell the admins (`webhook.disabled`).
 */
export async function deliverLane(ctx: CoreContext, input: DeliverLaneInput): Promise<void> {
  for (let sent = 0; sent < PER_RUN; sent++) {
    const step = await claimHead(ctx, input);
    if (step.kind === "idle") return;
    if (step.kind === "later") return schedule(ctx, input, step.at);
    const { endpoint, delivery } = step;
    let data = delivery.data;
    if (data === null) {
      const built = await buildDeliveryData(ctx, delivery.type, delivery.eventKind, delivery.eventPayload);
      if (!built) {
        await settle(ctx, delivery.id, { status: "SKIPPED", claimedUntil: null, error: "nothing to send" });
        continue;
      }
      data = built.data;
      await settle(ctx, delivery.id, { data, contactId: built.contactId });
    }
    const body = JSON.stringify({
      id: delivery.publicId,
      type: delivery.type,
      createdAt: delivery.createdAt.toISOString(),
      data,
    });
    const secret = decryptJson<string>(ctx.config.encryptionKey, endpoint.secretEncrypted);
    const outcome = await postWebhook(ctx, { url: endpoint.url, type: delivery.type, body, secret });
    const retryAt = await record(ctx, endpoint, delivery, outcome);
    if (retryAt) return schedule(ctx, input, retryAt);
  }
  await schedule(ctx, input, ctx.now());
}

type Step = { kind: "idle" } | { kind: "later"; at: Date } | { kind: "go"; endpoint: Endpoint; delivery: Delivery };

/** The lane's oldest pending delivery, claimed if it is due and nobody holds it. */
async function claimHead(ctx: CoreContext, input: DeliverLaneInput): Promise<Step> {
  return ctx.db.transaction(async (tx) => {
    const [endpoint] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, input.endpointId));
    if (!endpoint?.enabled) return { kind: "idle" };
    const [head] = await tx
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.endpointId, input.endpointId),
          eq(webhookDeliveries.lane, input.lane),
          eq(webhookDeliveries.status, "PENDING"),
        ),
      )
      .orderBy(asc(webhookDeliveries.id))
      .limit(1)
      .for("update");
    if (!head) return { kind: "idle" };
    const now = ctx.now();
    if (head.claimedUntil && head.claimedUntil > now) return { kind: "idle" };
    if (head.nextAttemptAt > now) return { kind: "later", at: head.nextAttemptAt };
    const claimedUntil = new Date(now.getTime() + timeoutMs(ctx) + 30_000);
    await tx.update(webhookDeliveries).set({ claimedUntil }).where(eq(webhookDeliveries.id, head.id));
    return { kind: "go", endpoint, delivery: head };
  });
}

async function settle(ctx: CoreContext, id: number, set: Partial<Delivery>): Promise<void> {
  await ctx.db.update(webhookDeliveries).set(set).where(eq(webhookDeliveries.id, id));
}

/** Writes an attempt's outcome; answers when to try the lane again if its head must wait. */
async function record(ctx: CoreContext, endpoint: Endpoint, d: Delivery, out: PostOutcome): Promise<Date | null> {
  const now = ctx.now();
  const attempts = d.attempts + 1;
  const seen = { attempts, lastAttemptAt: now, responseStatus: out.status, responseExcerpt: out.excerpt };
  return ctx.db.transaction(async (tx) => {
    if (out.ok) {
      await tx
        .update(webhookDeliveries)
        .set({ ...seen, status: "SUCCEEDED", deliveredAt: now, claimedUntil: null, error: null })
        .where(eq(webhookDeliveries.id, d.id));
      await tx.update(webhookEndpoints).set({ consecutiveFailures: 0 }).where(eq(webhookEndpoints.id, endpoint.id));
      return null;
    }
    const wait = Math.min(retryBaseMs(ctx) * 2 ** (attempts - 1), MAX_STEP_MS);
    const next = new Date(now.getTime() + wait);
    const givenUp = next.getTime() > d.createdAt.getTime() + WEBHOOK_RETRY_WINDOW_MS;
    await tx
      .update(webhookDeliveries)
      .set({
        ...seen,
        error: out.error,
        claimedUntil: null,
        ...(givenUp ? { status: "FAILED" } : { nextAttemptAt: next }),
      })
      .where(eq(webhookDeliveries.id, d.id));
    const [e] = await tx
      .update(webhookEndpoints)
      .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
      .where(eq(webhookEndpoints.id, endpoint.id))
      .returning({ failures: webhookEndpoints.consecutiveFailures, enabled: webhookEndpoints.enabled });
    if (e?.enabled && e.failures >= disableAfter(ctx)) {
      await tx
        .update(webhookEndpoints)
        .set({ enabled: false, disabledReason: "failures", disabledAt: now })
        .where(eq(webhookEndpoints.id, endpoint.id));
      await publishEvent(tx, {
        kind: "webhook.disabled",
        audience: { to: "ADMIN" },
        payload: { endpointId: endpoint.id, url: endpoint.url, failures: e.failures },
      });
      ctx.log.warn({ endpointId: endpoint.id, failures: e.failures }, "webhook endpoint disabled after failures");
      return null;
    }
    return givenUp ? now : next;
  });
}

async function schedule(ctx: CoreContext, input: DeliverLaneInput, runAt: Date): Promise<void> {
  await addJob(ctx.db, DELIVER_LANE_JOB, input, {
    jobKey: laneJobKey(input.endpointId, input.lane),
    jobKeyMode: "preserve_run_at",
    runAt,
  });
}

const timeoutMs = (ctx: CoreContext) => ctx.config.webhookTimeoutMs ?? 10_000;
const retryBaseMs = (ctx: CoreContext) => ctx.config.webhookRetryBaseMs ?? 30_000;
const disableAfter = (ctx: CoreContext) => ctx.config.webhookDisableAfterFailures ?? 15;
