import { serviceInstances } from "@elsehu/db";
import { ProviderError } from "@elsehu/providers";
import { and, eq, ne } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { publishEvent } from "../events/publish";
import type { Actor, CoreContext, Tx } from "../shared/context";
import { DomainError } from "../shared/errors";
import { loadInstance } from "./list-instances";
import { evolutionAdapterFor } from "./provider-for";
import type { InstanceRow } from "./shape";

async function evolution(ctx: CoreContext, id: string) {
  const row = await loadInstance(ctx, id);
  if (row.provider !== "EVOLUTION") {
    throw new DomainError("QR_ONLY_EVOLUTION", "Only Evolution instances are paired by QR code");
  }
  return { row, adapter: evolutionAdapterFor(ctx, row) };
}

/** Provider failures reach the admin as PROVIDER_UNAVAILABLE with the provider's words. */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProviderError) {
      throw new DomainError("PROVIDER_REFUSED", `Evolution: ${err.providerMessage}`, {
        code: err.code,
        providerMessage: err.providerMessage,
      });
    }
    throw err;
  }
}

/**
 * Stores a connection state / QR and publishes `instance.status` to staff. Used by
 * the admin actions below and by connection webhooks, so the console stays current.
 */
export async function setConnectionStatus(
  tx: Tx,
  id: string,
  change: { status?: string; qrCode?: string | null; now: Date; fromWebhook?: boolean },
): Promise<void> {
  const set: Partial<InstanceRow> = { updatedAt: change.now };
  if (change.status !== undefined) set.connectionStatus = change.status;
  if (change.qrCode !== undefined) set.qrCode = change.qrCode;
  // An open connection needs no QR any more.
  if (change.status === "open") set.qrCode = null;
  // Webhooks are processed concurrently, so a QR or "connecting" event can be applied after the
  // "open" that followed it: it must not undo the pairing. A real disconnect arrives as "close".
  const stale = change.fromWebhook && change.status !== "open" && change.status !== "close";
  const where = stale
    ? and(eq(serviceInstances.id, id), ne(serviceInstances.connectionStatus, "open"))
    : eq(serviceInstances.id, id);
  const [row] = await tx.update(serviceInstances).set(set).where(where).returning();
  if (!row) return;
  await publishEvent(tx, {
    kind: "instance.status",
    audience: { to: "STAFF" },
    payload: { instanceId: id, connectionStatus: row.connectionStatus, hasQr: row.qrCode !== null },
  });
}

/** Starts pairing: returns the QR to scan, or the state when already connected. */
export async function connectInstance(ctx: CoreContext, actor: Actor, id: string) {
  const { adapter } = await evolution(ctx, id);
  await recordAudit(ctx.db, { actorId: actor.id, action: "instance.connect", targetType: "instance", targetId: id });
  const result = await call(() => adapter.connect());
  if ("kind" in result) {
    await ctx.db.transaction((tx) => setConnectionStatus(tx, id, { status: result.state, now: ctx.now() }));
    return { connectionStatus: result.state, qrCode: null, pairingCode: null };
  }
  const qrCode = result.qrBase64 ?? null;
  await ctx.db.transaction((tx) => setConnectionStatus(tx, id, { status: "connecting", qrCode, now: ctx.now() }));
  return { connectionStatus: "connecting", qrCode, pairingCode: result.pairingCode ?? null };
}

/** Asks Evolution for the live state and stores it. */
export async function refreshConnectionState(ctx: CoreContext, id: string) {
  const { row, adapter } = await evolution(ctx, id);
  const state = await call(() => adapter.connectionState());
  if (state !== row.connectionStatus) {
    await ctx.db.transaction((tx) => setConnectionStatus(tx, id, { status: state, now: ctx.now() }));
  }
  return { connectionStatus: state, qrCode: state === "open" ? null : row.qrCode };
}

export async function logoutInstance(ctx: CoreContext, actor: Actor, id: string) {
  const { adapter } = await evolution(ctx, id);
  await recordAudit(ctx.db, { actorId: actor.id, action: "instance.logout", targetType: "instance", targetId: id });
  await call(() => adapter.logout());
  await ctx.db.transaction((tx) => setConnectionStatus(tx, id, { status: "close", qrCode: null, now: ctx.now() }));
  return { connectionStatus: "close" };
}
