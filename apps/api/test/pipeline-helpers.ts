import type { CoreConfig, StoredEvent } from "@elsehu/core";
import { signMetaBody } from "@elsehu/providers";
import { metaWebhookEnvelope, type Simulator, startSimulator } from "@elsehu/providers/simulator";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";

export const META_PNID = "109876543210987";
export const META_SECRET = "meta-app-secret-123";
export const EVO_SECRET = "evolution-webhook-secret-0123456789";
export const EVO_INSTANCE = "sim-instance";

export async function until<T>(fn: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type Pipeline = Awaited<ReturnType<typeof startPipeline>>;

/**
 * A real API + worker, a provider simulator speaking both protocols, an admin, and one
 * Meta and one Evolution instance created through tRPC and pointed at the simulator.
 */
export async function startPipeline(
  opts: {
    worker?: boolean;
    statusDelayMs?: number;
    config?: Partial<CoreConfig>;
    /** A controllable clock for the API, the worker and `stack.core`. */
    now?: () => Date;
    api?: NonNullable<Parameters<typeof startStack>[0]>["api"];
  } = {},
) {
  const sim: Simulator = await startSimulator({
    meta: { appSecret: META_SECRET, phoneNumberId: META_PNID },
    evolution: { instanceName: EVO_INSTANCE },
    statusDelayMs: opts.statusDelayMs ?? 20,
    hangMs: 20_000,
  });
  const stack: Stack = await startStack({
    worker: opts.worker ?? true,
    config: { providerTimeoutMs: 5000, ...opts.config },
    now: opts.now,
    api: opts.api,
  });
  // Where Evolution is told to post webhooks when a number is added (the API's config object is this one).
  stack.config.publicUrl = stack.url;
  const admin = await userWithToken(stack, "ADMIN");
  const meta = await admin.client.instances.create.mutate({
    provider: "META",
    name: "Meta simulada",
    config: { phoneNumberId: META_PNID, wabaId: "102938475610293", baseUrl: sim.url },
    secrets: { accessToken: "meta-access-token-xyz", appSecret: META_SECRET, verifyToken: "verify-token-abc" },
  });
  const evolution = await admin.client.instances.create.mutate({
    provider: "EVOLUTION",
    name: "Evolution simulada",
    config: { baseUrl: sim.url, instanceName: EVO_INSTANCE },
    secrets: { apiKey: "evolution-api-key", webhookSecret: EVO_SECRET },
  });
  sim.setWebhookTarget("META", { url: `${stack.url}/webhooks/meta`, appSecret: META_SECRET });
  sim.setWebhookTarget("EVOLUTION", {
    url: `${stack.url}${evolution.webhookPath}`,
    headers: { "x-webhook-secret": EVO_SECRET },
  });
  const events: StoredEvent[] = [];
  const off = stack.api.deps.hub.subscribe((e) => events.push(e));
  return {
    sim,
    stack,
    admin,
    meta,
    evolution,
    events,
    close: async () => {
      off();
      await sim.settled();
      await sim.close();
      await stack.close();
    },
  };
}

/** Gives a conversation to an operator, as the conversations engine would. */
export async function assign(stack: Stack, conversationId: string, operatorId: string) {
  await stack.core.sql`update conversations set status = 'OPEN', operator_id = ${operatorId},
    assigned_at = now(), first_assigned_at = coalesce(first_assigned_at, now()) where id = ${conversationId}`;
}

export async function messageByProviderId(stack: Stack, providerMessageId: string) {
  const [row] = await stack.core.sql<
    {
      id: string;
      conversation_id: string;
      status: string;
      body: string | null;
      direction: string;
      media: Record<string, unknown> | null;
      error_code: string | null;
      error_message: string | null;
    }[]
  >`select id, conversation_id, status, body, direction, media, error_code, error_message from messages where provider_message_id = ${providerMessageId}`;
  return row;
}

export async function messageById(stack: Stack, id: string) {
  const [row] = await stack.core.sql<
    {
      id: string;
      status: string;
      provider_message_id: string | null;
      error_code: string | null;
      error_message: string | null;
      content: Record<string, unknown> | null;
    }[]
  >`select id, status, provider_message_id, error_code, error_message, content from messages where id = ${id}`;
  return row;
}

/** Posts a Meta webhook body signed with `secret` to the API, like Meta does. */
export async function postMeta(url: string, body: unknown, secret = META_SECRET, raw?: string) {
  const text = raw ?? JSON.stringify(body);
  const response = await fetch(`${url}/webhooks/meta`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signMetaBody(text, secret) },
    body: text,
  });
  await response.arrayBuffer();
  return response.status;
}

export function metaStatusWebhook(
  providerMessageId: string,
  status: "sent" | "delivered" | "read" | "failed",
  extra: Record<string, unknown> = {},
) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return metaWebhookEnvelope(
    { statuses: [{ id: providerMessageId, status, timestamp, recipient_id: "5511987654321", ...extra }] },
    { phoneNumberId: META_PNID },
  );
}

/** A message once its media is downloaded (inbound media is fetched after the message is stored). */
export function untilMediaReady(stack: Stack, providerMessageId: string) {
  return until(async () => {
    const m = await messageByProviderId(stack, providerMessageId);
    return m?.media?.state === "ready" ? m : undefined;
  });
}
