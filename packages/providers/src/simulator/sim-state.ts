import { setMaxListeners } from "node:events";
import type { ProviderKind } from "../types";
import { uuid } from "./ids";
import type { FailRule, ReceivedRequest, SentMessage, SimulatorOptions, WebhookDelivery } from "./sim-types";

export interface StoredMedia {
  bytes: Uint8Array;
  mimeType: string;
  fileName?: string;
}

export interface EvolutionInstance {
  name: string;
  instanceId: string;
  token?: string;
  state: "open" | "connecting" | "close";
  webhookUrl?: string;
  webhookHeaders?: Record<string, string>;
  /** UPPER_SNAKE events the webhook is subscribed to ([] = all). */
  webhookEvents?: string[];
}

/** Which providers a failure kind can apply to. */
const KIND_PROVIDERS: Record<FailRule["kind"], ProviderKind[]> = {
  "429": ["META", "EVOLUTION"],
  "500": ["META", "EVOLUTION"],
  timeout: ["META", "EVOLUTION"],
  "131047": ["META"],
  not_on_whatsapp: ["EVOLUTION"],
  instance_not_connected: ["EVOLUTION"],
};

/** Everything the simulator remembers; in memory only, gone on close. */
export class SimulatorState {
  url = "";
  received: ReceivedRequest[] = [];
  sent: SentMessage[] = [];
  deliveries: WebhookDelivery[] = [];
  rules: FailRule[] = [];
  media = new Map<string, StoredMedia>();
  instances = new Map<string, EvolutionInstance>();
  meta: NonNullable<SimulatorOptions["meta"]>;
  /** What GET /{WABA_ID}/message_templates lists, in Graph's shape. */
  metaTemplates: Record<string, unknown>[] = [];
  /** Overrides of the phone number details (quality_rating, verified_name…). */
  metaPhoneInfo: Record<string, unknown> = {};
  readonly defaultInstance: string;
  /** Aborted on close: cancels pending status timers and hanging requests. */
  readonly closing = new AbortController();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(readonly options: SimulatorOptions) {
    // Every pending status timer listens for the close: a burst has thousands at once, by design.
    setMaxListeners(0, this.closing.signal);
    this.meta = { ...options.meta };
    this.defaultInstance = options.evolution?.instanceName ?? "sim-instance";
    this.reset();
  }

  get statusDelayMs(): number {
    return this.options.statusDelayMs ?? 20;
  }

  get autoStatuses(): boolean {
    return this.options.autoStatuses ?? true;
  }

  /** Clears records, rules and media, and restores the default connected instance. */
  reset(): void {
    this.received = [];
    this.sent = [];
    this.deliveries = [];
    this.rules = [];
    this.media.clear();
    this.instances.clear();
    this.metaTemplates = [];
    this.metaPhoneInfo = {};
    const evolution = this.options.evolution;
    this.instances.set(this.defaultInstance, {
      name: this.defaultInstance,
      instanceId: uuid(),
      state: "open",
      webhookUrl: evolution?.webhookUrl,
      webhookHeaders: evolution?.webhookHeaders,
    });
  }

  /** Consumes one matching failure, if any. */
  takeFailure(provider: ProviderKind, route?: "media"): FailRule["kind"] | undefined {
    const rule = this.rules.find(
      (r) =>
        r.times > 0 &&
        (!r.route || r.route === route) &&
        (!r.provider || r.provider === provider) &&
        KIND_PROVIDERS[r.kind].includes(provider),
    );
    if (!rule) return undefined;
    rule.times -= 1;
    this.rules = this.rules.filter((r) => r.times > 0);
    return rule.kind;
  }

  /** Keeps background work (status webhooks) awaitable through `settled()`. */
  track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Resolves after `ms`, or early (false) when the simulator closes. */
  sleep(ms: number): Promise<boolean> {
    const { signal } = this.closing;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
