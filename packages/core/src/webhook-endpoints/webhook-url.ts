import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isPrivateAddress } from "../instances/provider-url";
import type { CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";

/**
 * Refuses an endpoint URL whose host is, or resolves to, a loopback, private or
 * link-local address (every resolved address counts), unless the deployment
 * allows it (`ALLOW_PRIVATE_WEBHOOK_URLS=true`): an admin must not be able to
 * make the worker call internal services (SSRF). Checked when the URL is saved
 * and again before every attempt (the name may have been re-pointed since).
 */
export async function assertPublicWebhookUrl(ctx: Pick<CoreContext, "config">, url: string): Promise<void> {
  if (ctx.config.allowPrivateWebhookUrls) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    if (isPrivateAddress(host)) throw refused(`url: ${host} is a private, loopback or link-local address`);
    return;
  }
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new DomainError("WEBHOOK_HOST_UNRESOLVED", `url: host ${host} does not resolve`, { field: "url" });
  }
  if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
    throw refused(`url: host ${host} resolves to a private, loopback or link-local address`);
  }
}

function refused(message: string): DomainError {
  return new DomainError("PRIVATE_WEBHOOK_URL", message, { field: "url" });
}
