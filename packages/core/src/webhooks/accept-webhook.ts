import { timingSafeEqual } from "node:crypto";
import {
  type MetaTemplateUpdate,
  parseEvolutionWebhook,
  parseMetaTemplateUpdates,
  parseMetaWebhook,
  verifyMetaChallenge,
  verifyMetaSignature,
  WebhookParseError,
} from "@elsehu/providers";
import type { DirectoryEntry, InstanceDirectory } from "./instance-directory";
import type { WebhookWriter } from "./store-webhook";

export type WebhookOutcome = { status: 200 | 400 | 401 | 403 | 404; error?: string; stored?: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The GET handshake Meta makes when the webhook URL is configured. */
export async function answerMetaChallenge(dir: InstanceDirectory, query: Record<string, string | undefined>) {
  const tokens = await dir.find((all) => {
    const list = all.filter((e) => e.provider === "META" && e.verifyToken).map((e) => e.verifyToken as string);
    return list.length > 0 ? list : undefined;
  });
  for (const token of tokens ?? []) {
    const challenge = verifyMetaChallenge(query, token);
    if (challenge !== null) return challenge;
  }
  return null;
}

/**
 * Meta: the X-Hub-Signature-256 is checked over the raw bytes BEFORE parsing, against
 * the app secrets we know (one per Meta app); then every phone_number_id in the body
 * must be an instance of that same app. One stored event per instance it names.
 */
export async function acceptMetaWebhook(
  writer: Pick<WebhookWriter, "store">,
  dir: InstanceDirectory,
  input: { raw: string; signature: string | undefined },
  onTemplateUpdates?: (updates: MetaTemplateUpdate[]) => Promise<void>,
): Promise<WebhookOutcome> {
  const secret = await dir.find((all) => {
    const hit = all.find(
      (e) => e.provider === "META" && e.appSecret && verifyMetaSignature(input.raw, input.signature, e.appSecret),
    );
    return hit?.appSecret;
  });
  if (!secret) return { status: 401, error: "Invalid signature" };
  const json = parseJson(input.raw);
  if (!json.ok) return { status: 400, error: "Body is not JSON" };
  let ids: string[];
  try {
    ids = [...new Set(parseMetaWebhook(json.value).map((b) => b.phoneNumberId))];
  } catch (err) {
    if (err instanceof WebhookParseError) return { status: 400, error: err.message };
    throw err;
  }
  // Template status/quality changes carry no phone number id: applied here, before the 200 (a failure: Meta retries).
  // Only for accounts whose numbers share the app secret that signed it: one app cannot touch another's templates.
  const signedWabas = await dir.find((all) => {
    const ids = all.filter((e) => e.provider === "META" && e.wabaId && sameSecret(e.appSecret, secret));
    return new Set(ids.map((e) => e.wabaId));
  });
  const templateUpdates = parseMetaTemplateUpdates(json.value).filter((u) => signedWabas?.has(u.wabaId));
  if (templateUpdates.length > 0 && onTemplateUpdates) await onTemplateUpdates(templateUpdates);
  const targets: string[] = [];
  for (const pnid of ids) {
    const entry = await dir.find((all) => all.find((e) => e.provider === "META" && e.metaPhoneNumberId === pnid));
    if (!entry) return { status: 404, error: `Unknown phone_number_id ${pnid}` };
    if (!sameSecret(entry.appSecret, secret)) return { status: 401, error: "Invalid signature" };
    targets.push(entry.id);
  }
  await Promise.all(targets.map((instanceId) => writer.store({ instanceId, provider: "META", body: input.raw })));
  return { status: 200, stored: targets.length };
}

/**
 * Evolution does not sign: the instance id in the URL routes, and the secret header
 * we configured on its webhook authenticates. Both are checked from the URL and the
 * headers alone, before a byte of the body is read (see apps/api/src/http/webhooks.ts).
 */
export async function authenticateEvolutionWebhook(
  dir: InstanceDirectory,
  input: { instanceId: string; secret: string | undefined },
): Promise<{ entry: DirectoryEntry } | { outcome: WebhookOutcome }> {
  if (!UUID.test(input.instanceId)) return { outcome: { status: 404, error: "Unknown instance" } };
  const entry = await dir.find((all) => all.find((e) => e.id === input.instanceId && e.provider === "EVOLUTION"));
  if (!entry) return { outcome: { status: 404, error: "Unknown instance" } };
  if (!sameSecret(input.secret, entry.webhookSecret)) {
    return { outcome: { status: 401, error: "Invalid webhook secret" } };
  }
  return { entry };
}

/**
 * The body of an authenticated Evolution webhook. Bodies that carry no event we
 * use (presence, chats, contacts) are acknowledged without being stored.
 */
export async function acceptEvolutionBody(
  writer: Pick<WebhookWriter, "store">,
  entry: DirectoryEntry,
  raw: string,
): Promise<WebhookOutcome> {
  const json = parseJson(raw);
  if (!json.ok) return { status: 400, error: "Body is not JSON" };
  try {
    const batch = parseEvolutionWebhook(json.value);
    if (entry.instanceName && batch.instanceName !== entry.instanceName) {
      return { status: 404, error: `Webhook is for instance "${batch.instanceName}"` };
    }
    if (batch.events.length === 0) return { status: 200, stored: 0 };
  } catch (err) {
    if (err instanceof WebhookParseError) return { status: 400, error: err.message };
    throw err;
  }
  await writer.store({ instanceId: entry.id, provider: "EVOLUTION", body: raw });
  return { status: 200, stored: 1 };
}

/** authenticateEvolutionWebhook then acceptEvolutionBody, for callers that already hold the body. */
export async function acceptEvolutionWebhook(
  writer: Pick<WebhookWriter, "store">,
  dir: InstanceDirectory,
  input: { instanceId: string; raw: string; secret: string | undefined },
): Promise<WebhookOutcome> {
  const auth = await authenticateEvolutionWebhook(dir, input);
  return "outcome" in auth ? auth.outcome : acceptEvolutionBody(writer, auth.entry, input.raw);
}

const META_SIGNATURE = /^sha256=[0-9a-f]{64}$/i;

/**
 * What can be checked of a Meta webhook before its body (the signature needs the
 * body): a well-formed signature header, and at least one Meta app secret to check it with.
 */
export async function precheckMetaWebhook(
  dir: InstanceDirectory,
  signature: string | undefined,
): Promise<WebhookOutcome | null> {
  if (!signature || !META_SIGNATURE.test(signature)) return { status: 401, error: "Invalid signature" };
  const any = await dir.find((all) => all.find((e) => e.provider === "META" && e.appSecret));
  return any ? null : { status: 401, error: "Invalid signature" };
}
