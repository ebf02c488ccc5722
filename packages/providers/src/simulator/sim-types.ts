import type { ProviderKind } from "../types";

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  meta?: {
    webhookUrl?: string;
    /** Signs webhooks (X-Hub-Signature-256) when set. */
    appSecret?: string;
    /** When set, requests for another phone number id are refused like Graph does. */
    phoneNumberId?: string;
    wabaId?: string;
    /** When set, the Bearer token must equal it; otherwise any Bearer token passes. */
    accessToken?: string;
  };
  evolution?: {
    webhookUrl?: string;
    webhookHeaders?: Record<string, string>;
    /** The pre-existing, connected instance (default "sim-instance"). */
    instanceName?: string;
    /** When set, the `apikey` header must equal it; otherwise any non-empty key passes. */
    apiKey?: string;
  };
  /** Delay before each automatic status webhook (default 20 ms). */
  statusDelayMs?: number;
  /** Post sent → delivered → read after every accepted send (default true). */
  autoStatuses?: boolean;
  /** How long a "timeout" failure holds the request before answering 504 (default 30 s). */
  hangMs?: number;
}

export interface ReceivedRequest {
  provider: ProviderKind;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; `authorization` and `apikey` removed. */
  headers: Record<string, string>;
  /** Parsed JSON, multipart fields (files as {fileName,type,size}), or null. */
  body: unknown;
}

export interface SentMessage {
  provider: ProviderKind;
  providerMessageId: string;
  /** Meta phone number id or Evolution instance name. */
  channel: string;
  to: string;
  type: string;
  request: unknown;
  at: Date;
}

export type FailKind = "429" | "500" | "timeout" | "131047" | "not_on_whatsapp" | "instance_not_connected";

export interface FailRule {
  provider?: ProviderKind;
  times: number;
  kind: FailKind;
  /** "media": only media downloads fail (Meta media lookups, Evolution getBase64); absent: any call. */
  route?: "media";
}

export type InboundType =
  | "text"
  | "image"
  | "audio"
  | "video"
  | "document"
  | "location"
  | "reaction"
  | "button"
  | "interactive";

export interface InboundInput {
  /** Customer phone in any format (normalised to digits). */
  from: string;
  type?: InboundType;
  body?: string;
  name?: string;
  /** Provider message id to use (lets a test replay a duplicate); generated otherwise. */
  id?: string;
  /** The provider's timestamp, in whole seconds as providers stamp it (default now): messages of one second. */
  at?: number;
  replyTo?: string;
  /** Meta: add `user_id` / `from_user_id`. */
  bsuid?: string;
  /** Evolution: the `@lid` JID carried in `remoteJidAlt`. */
  lid?: string;
  /** Evolution: target instance (default the configured one). */
  instanceName?: string;
  media?: { mimeType?: string; fileName?: string; base64?: string };
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  /** Reaction emoji (body) targets this message. */
  reactionTo?: string;
  /** Button/list reply id (payload). */
  replyId?: string;
  /** `interactive` only: a reply button (default) or a list row. */
  replyKind?: "button" | "list";
}

export interface WebhookDelivery {
  provider: ProviderKind;
  url: string;
  /** Meta: "messages"; Evolution: the event name. */
  event: string;
  body: unknown;
  /** HTTP status, or 0 when the target was unreachable. */
  status: number;
  error?: string;
}
