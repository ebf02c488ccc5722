import type { ProviderKind } from "../types";
import { evolutionInboundData } from "./evolution-sim-payloads";
import { metaInboundBody } from "./meta-sim-payloads";
import type { SimulatorState } from "./sim-state";
import type { InboundInput } from "./sim-types";
import { postEvolutionWebhook, postMetaWebhook } from "./webhook-poster";

/**
 * Posts a customer message as the provider would (Meta signed `messages` webhook,
 * Evolution `messages.upsert`) and resolves with the receiver's HTTP status
 * (0 when no webhook target is configured or it is unreachable).
 */
export async function injectInbound(
  state: SimulatorState,
  provider: ProviderKind,
  input: InboundInput,
): Promise<number> {
  if (provider === "META") return postMetaWebhook(state, metaInboundBody(state, input).body);
  const name = input.instanceName ?? state.defaultInstance;
  const instance = state.instances.get(name);
  if (!instance) throw new Error(`unknown Evolution instance "${name}"`);
  return postEvolutionWebhook(state, name, "messages.upsert", evolutionInboundData(state, instance, input).data);
}

export interface WebhookTarget {
  url?: string;
  headers?: Record<string, string>;
  /** Meta only: secret used to sign webhooks. */
  appSecret?: string;
  /** Evolution only: which instance (default the configured one). */
  instanceName?: string;
}

/** Points a provider's webhooks somewhere else (e.g. once the API under test has a port). */
export function setWebhookTarget(state: SimulatorState, provider: ProviderKind, target: WebhookTarget): void {
  if (provider === "META") {
    if (target.url !== undefined) state.meta.webhookUrl = target.url;
    if (target.appSecret !== undefined) state.meta.appSecret = target.appSecret;
    return;
  }
  const instance = state.instances.get(target.instanceName ?? state.defaultInstance);
  if (!instance) throw new Error(`unknown Evolution instance "${target.instanceName}"`);
  if (target.url !== undefined) instance.webhookUrl = target.url;
  if (target.headers !== undefined) instance.webhookHeaders = target.headers;
}
