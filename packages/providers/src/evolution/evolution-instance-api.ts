import type { CreateInstanceInput, QrCode } from "../adapter";
import { ProviderError } from "../errors";
import { callProvider, DEFAULT_TIMEOUT_MS } from "../http";
import { toEvolutionNumber } from "../phone";
import type { ConnectionUpdate } from "../types";
import { classifyEvolutionError } from "./evolution-errors";
import { evolutionCreateBody, evolutionWebhookBody } from "./evolution-payloads";
import { qrOf } from "./evolution-responses";

export interface EvolutionConfig {
  baseUrl: string;
  /** Instance token, or the global key (required for createInstance). */
  apiKey: string;
  instanceName: string;
  timeoutMs?: number;
}

export function invalid(code: string, message: string): ProviderError {
  return new ProviderError({ provider: "EVOLUTION", code, retryable: false, providerMessage: message });
}

/**
 * HTTP access plus the instance lifecycle (create, QR connect, state, logout, webhook).
 * Messaging lives in EvolutionAdapter, which extends this.
 */
export class EvolutionInstanceApi {
  protected readonly base: string;
  protected readonly instance: string;

  constructor(protected readonly config: EvolutionConfig) {
    this.base = config.baseUrl.replace(/\/+$/, "");
    this.instance = encodeURIComponent(config.instanceName);
  }

  protected request(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<unknown> {
    return callProvider({
      provider: "EVOLUTION",
      method,
      url: `${this.base}/${path}`,
      headers: { apikey: this.config.apiKey },
      body,
      timeoutMs: this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      classify: classifyEvolutionError,
    });
  }

  /** Needs the global API key as `apiKey`. */
  async createInstance(input: CreateInstanceInput = {}): Promise<{ instanceId?: string; token?: string; qr?: QrCode }> {
    const response = (await this.request(
      "POST",
      "instance/create",
      evolutionCreateBody(this.config.instanceName, input),
    )) as { instance?: { instanceId?: unknown }; hash?: unknown; qrcode?: unknown } | undefined;
    const result: { instanceId?: string; token?: string; qr?: QrCode } = {};
    if (typeof response?.instance?.instanceId === "string") result.instanceId = response.instance.instanceId;
    if (typeof response?.hash === "string") result.token = response.hash;
    const qr = qrOf(response?.qrcode);
    if (qr) result.qr = qr;
    return result;
  }

  /** Whether the instance exists on the Evolution server (needs the global key). */
  async instanceExists(): Promise<boolean> {
    const query = `instance/fetchInstances?instanceName=${this.instance}`;
    try {
      const response = await this.request("GET", query);
      return Array.isArray(response) && response.length > 0;
    } catch (err) {
      if (err instanceof ProviderError && err.httpStatus === 404) return false;
      throw err;
    }
  }

  /** A QR code to scan, or the connection state when the instance is already open. */
  async connect(): Promise<QrCode | ConnectionUpdate> {
    const response = await this.request("GET", `instance/connect/${this.instance}`);
    const qr = qrOf(response);
    if (qr) return qr;
    return { kind: "connection", state: await this.connectionState() };
  }

  async connectionState(): Promise<ConnectionUpdate["state"]> {
    const response = (await this.request("GET", `instance/connectionState/${this.instance}`)) as
      | { instance?: { state?: unknown } }
      | undefined;
    const state = response?.instance?.state;
    return state === "open" || state === "connecting" ? state : "close";
  }

  /** Which numbers have WhatsApp, and under which JID (BR numbers may lack the ninth digit). */
  async checkNumbers(numbers: string[]): Promise<Array<{ number: string; exists: boolean; jid: string }>> {
    const body = { numbers: numbers.map((n) => toEvolutionNumber(n)) };
    const response = await this.request("POST", `chat/whatsappNumbers/${this.instance}`, body);
    if (!Array.isArray(response)) throw invalid("BAD_RESPONSE", "whatsappNumbers did not return a list");
    return response.map((item: { number?: unknown; exists?: unknown; jid?: unknown }) => ({
      number: String(item.number ?? ""),
      exists: item.exists === true,
      jid: String(item.jid ?? ""),
    }));
  }

  /** Removes the instance on the Evolution server (logs out first when needed). */
  async deleteInstance(): Promise<void> {
    await this.request("DELETE", `instance/delete/${this.instance}`);
  }

  async logout(): Promise<void> {
    await this.request("DELETE", `instance/logout/${this.instance}`);
  }

  async setWebhook(url: string, events: string[], headers?: Record<string, string>): Promise<void> {
    await this.request("POST", `webhook/set/${this.instance}`, evolutionWebhookBody(url, events, headers));
  }
}
