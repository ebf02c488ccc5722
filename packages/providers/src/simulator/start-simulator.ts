import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { ProviderKind } from "../types";
import { registerControlRoutes } from "./control-routes";
import { registerEvolutionRoutes } from "./evolution-routes";
import { injectInbound, setWebhookTarget, type WebhookTarget } from "./inject-inbound";
import { registerMetaRoutes } from "./meta-routes";
import { recordRequests } from "./record-requests";
import { type EvolutionInstance, SimulatorState } from "./sim-state";
import type {
  FailRule,
  InboundInput,
  ReceivedRequest,
  SentMessage,
  SimulatorOptions,
  WebhookDelivery,
} from "./sim-types";
import { postEvolutionWebhook, postMetaWebhook } from "./webhook-poster";

export interface Simulator {
  url: string;
  port: number;
  /** Live list of provider-API requests received (credentials stripped). */
  readonly received: ReceivedRequest[];
  sentMessages(): SentMessage[];
  /** Every webhook the simulator posted, with the receiver's status. */
  webhooks(): WebhookDelivery[];
  fail(rule: FailRule): void;
  injectInbound(provider: ProviderKind, input: InboundInput): Promise<number>;
  /**
   * Posts a whole webhook body as the provider would (a fixture, say): Meta signed, Evolution
   * to the instance's webhook with its headers (its `event` and `data`; the instance is ours).
   */
  postWebhook(provider: ProviderKind, body: { event?: string; data?: unknown } | unknown): Promise<number>;
  /** Serves these bytes as a media id (Meta) or message key id (Evolution). */
  storeMedia(id: string, media: { bytes: Uint8Array; mimeType: string; fileName?: string }): void;
  /** A file uploaded to Meta (POST /{PHONE_NUMBER_ID}/media) or stored with storeMedia, by its id. */
  mediaOf(id: string): Readonly<{ bytes: Uint8Array; mimeType: string; fileName?: string }> | undefined;
  setWebhookTarget(provider: ProviderKind, target: WebhookTarget): void;
  /** What GET /{WABA_ID}/message_templates lists (Graph's shape: id, name, language, status…). */
  setMetaTemplates(templates: Record<string, unknown>[]): void;
  /** Overrides the number details GET /{PHONE_NUMBER_ID} answers (quality_rating…). */
  setMetaPhoneInfo(info: Record<string, unknown>): void;
  /** An Evolution instance as the server holds it (state, webhook URL, headers, events), if it exists. */
  evolutionInstance(name: string): Readonly<EvolutionInstance> | undefined;
  /** Resolves when every scheduled status webhook has been posted. */
  settled(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a fake Meta Graph + Evolution API on one port. Adapters point their baseUrl
 * at `url`; webhooks go to the configured targets. State is in memory only.
 */
export async function startSimulator(options: SimulatorOptions & { hostname?: string } = {}): Promise<Simulator> {
  const state = new SimulatorState(options);
  const app = new Hono();
  app.use("*", recordRequests(state));
  registerControlRoutes(app, state);
  registerEvolutionRoutes(app, state);
  registerMetaRoutes(app, state);

  const hostname = options.hostname ?? "127.0.0.1";
  let server: Server | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname }, (info) => resolve(info.port)) as Server;
    server.once("error", reject);
  });
  state.url = `http://${hostname === "0.0.0.0" ? "127.0.0.1" : hostname}:${port}`;

  return {
    url: state.url,
    port,
    get received() {
      return state.received;
    },
    sentMessages: () => [...state.sent],
    webhooks: () => [...state.deliveries],
    fail: (rule) => {
      state.rules.push({ ...rule });
    },
    injectInbound: (provider, input) => injectInbound(state, provider, input),
    postWebhook: (provider, body) => {
      if (provider === "META") return postMetaWebhook(state, body);
      const envelope = body as { event?: string; data?: unknown };
      return postEvolutionWebhook(state, state.defaultInstance, envelope.event ?? "", envelope.data);
    },
    storeMedia: (id, media) => {
      state.media.set(id, media);
    },
    mediaOf: (id) => state.media.get(id),
    setWebhookTarget: (provider, target) => setWebhookTarget(state, provider, target),
    setMetaTemplates: (templates) => {
      state.metaTemplates = templates.map((t) => ({ ...t }));
    },
    setMetaPhoneInfo: (info) => {
      state.metaPhoneInfo = { ...info };
    },
    evolutionInstance: (name) => state.instances.get(name),
    settled: () => state.settled(),
    reset: () => state.reset(),
    close: async () => {
      state.closing.abort();
      await state.settled();
      await new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
