import type { CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { signWebhook } from "./sign";
import { assertPublicWebhookUrl } from "./webhook-url";

export type PostOutcome = { ok: boolean; status: number | null; excerpt: string | null; error: string | null };

/** Characters of the receiver's answer kept on the delivery (and bytes read to get them). */
export const EXCERPT_CHARS = 500;
const READ_BYTES = 4096;

/**
 * One signed POST. 2xx is success; anything else, a timeout
 * (`WEBHOOK_TIMEOUT_MS`) or a network error is a failure to retry. Redirects are
 * not followed (a 3xx is a failure): the checked host is the one called. Only
 * the first bytes of the answer are read. Never throws for the receiver's sake.
 */
export async function postWebhook(
  ctx: Pick<CoreContext, "config" | "now">,
  req: { url: string; type: string; body: string; secret: string },
): Promise<PostOutcome> {
  try {
    await assertPublicWebhookUrl(ctx, req.url);
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, status: null, excerpt: null, error: err.reason };
    throw err;
  }
  const t = Math.floor(ctx.now().getTime() / 1000);
  try {
    const res = await fetch(req.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(ctx.config.webhookTimeoutMs ?? 10_000),
      headers: {
        "content-type": "application/json",
        "user-agent": "Elsehu-Webhooks/1",
        "x-elsehu-event": req.type,
        "x-elsehu-signature": signWebhook(req.secret, req.body, t),
      },
      body: req.body,
    });
    const excerpt = await readExcerpt(res);
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, excerpt, error: ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    const name = err instanceof Error ? err.name : "Error";
    const error = name === "TimeoutError" ? "timeout" : `network: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, status: null, excerpt: null, error: error.slice(0, 200) };
  }
}

async function readExcerpt(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < READ_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel();
  const text = Buffer.concat(chunks).toString("utf8").slice(0, EXCERPT_CHARS);
  return text.length > 0 ? text : null;
}
