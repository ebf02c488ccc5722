import { signMetaBody } from "../meta/meta-signature";
import type { SimulatorState } from "./sim-state";
import type { WebhookDelivery } from "./sim-types";

async function post(
  state: SimulatorState,
  delivery: Omit<WebhookDelivery, "status">,
  headers: Record<string, string>,
  raw: string,
): Promise<number> {
  const record: WebhookDelivery = { ...delivery, status: 0 };
  state.deliveries.push(record);
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: raw,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    record.status = response.status;
  } catch (error) {
    record.error = error instanceof Error ? error.message : String(error);
  }
  return record.status;
}

/** Posts a Meta webhook body, signed like Meta does when an app secret is configured. */
export function postMetaWebhook(state: SimulatorState, body: unknown): Promise<number> {
  const url = state.meta.webhookUrl;
  if (!url) return Promise.resolve(0);
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = { "user-agent": "facebookexternalua" };
  if (state.meta.appSecret) headers["x-hub-signature-256"] = signMetaBody(raw, state.meta.appSecret);
  return post(state, { provider: "META", url, event: "messages", body }, headers, raw);
}

/** Posts an Evolution envelope to the instance's webhook with its custom headers. */
export function postEvolutionWebhook(
  state: SimulatorState,
  instanceName: string,
  event: string,
  data: unknown,
): Promise<number> {
  const instance = state.instances.get(instanceName);
  const url = instance?.webhookUrl;
  if (!instance || !url) return Promise.resolve(0);
  // Only the events the webhook is subscribed to go out (none listed = all), as Evolution does.
  const subscribed = instance.webhookEvents;
  const name = event.toUpperCase().replace(/\./g, "_");
  if (subscribed && subscribed.length > 0 && !subscribed.includes(name)) return Promise.resolve(0);
  const body = {
    event,
    instance: instanceName,
    data,
    destination: url,
    date_time: new Date().toISOString(),
    sender: "5511940001234@s.whatsapp.net",
    server_url: state.url,
    apikey: instance.token ?? null,
  };
  const headers = { "user-agent": "axios/1.7.9", ...instance.webhookHeaders };
  return post(state, { provider: "EVOLUTION", url, event, body }, headers, JSON.stringify(body));
}
