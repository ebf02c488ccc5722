import { randomBytes } from "node:crypto";
import { textArray } from "@elsehu/core";
import { signMetaBody } from "@elsehu/providers";
import { metaWebhookEnvelope } from "@elsehu/providers/simulator";
import { httpClient } from "@elsehu/testing";
import type { Cluster } from "./harness";

/**
 * The message pipeline on a cluster: a Meta number created through the API (as an
 * admin does) pointed at the simulator, and Meta webhooks built and signed here the
 * way Meta sends them, so a test decides exactly which process gets which copy.
 */

export type MetaNumber = { id: string; phoneNumberId: string; appSecret: string };

let numbers = 0;
export async function metaNumberThroughApi(cluster: Cluster, apiUrl: string, adminToken: string): Promise<MetaNumber> {
  numbers++;
  const phoneNumberId = `${Date.now()}${numbers}`.slice(-15);
  const appSecret = `app-secret-${randomBytes(8).toString("hex")}`;
  const created = await httpClient(apiUrl, adminToken).instances.create.mutate({
    provider: "META",
    name: `Meta cluster ${numbers}`,
    config: { phoneNumberId, wabaId: "102938475610293", baseUrl: cluster.sim.url },
    secrets: {
      accessToken: `EAAG${randomBytes(12).toString("hex")}`,
      appSecret,
      verifyToken: `verify-${randomBytes(6).toString("hex")}`,
    },
  });
  return { id: created.id, phoneNumberId, appSecret };
}

/** The raw body of one inbound text message, as Meta's webhook carries it. */
export function metaInboundRaw(
  number: MetaNumber,
  m: { from: string; id: string; body: string; name?: string; at?: number },
): string {
  const from = m.from.replace(/\D/g, "");
  const timestamp = String(Math.floor((m.at ?? Date.now()) / 1000));
  return JSON.stringify(
    metaWebhookEnvelope(
      {
        contacts: [{ profile: { name: m.name ?? "Cliente" }, wa_id: from }],
        messages: [{ from, id: m.id, timestamp, type: "text", text: { body: m.body } }],
      },
      { phoneNumberId: number.phoneNumberId },
    ),
  );
}

/** POSTs a signed Meta webhook; the HTTP status, or 0 when the process did not answer. */
export async function postMetaRaw(
  apiUrl: string,
  number: MetaNumber,
  raw: string,
  timeoutMs = 10_000,
): Promise<number> {
  try {
    const res = await fetch(`${apiUrl}/webhooks/meta`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signMetaBody(raw, number.appSecret) },
      body: raw,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Runs `tasks` with at most `n` in flight. */
export async function pool<T>(n: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        const task = tasks[i];
        if (task) out[i] = await task();
      }
    }),
  );
  return out;
}

/** Messages (and their conversations) of `providerIds` on `instanceId`. */
export async function messagesOf(cluster: Cluster, instanceId: string, providerIds: string[]) {
  return cluster.core.sql<{ id: string; provider_message_id: string; conversation_id: string; contact_id: string }[]>`
    select m.id, m.provider_message_id, m.conversation_id, c.contact_id from messages m
    join conversations c on c.id = m.conversation_id
    where m.instance_id = ${instanceId}
      and m.provider_message_id = any(${textArray(providerIds)}::text[])`;
}

/** Webhook events not yet processed by a worker. */
export async function unprocessedWebhooks(cluster: Cluster): Promise<number> {
  const [r] = await cluster.core.sql<{ n: number }[]>`
    select count(*)::int as n from webhook_events where processed_at is null`;
  return r?.n ?? 0;
}
