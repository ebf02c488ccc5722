import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import type { CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";

/**
 * Addresses a provider base URL must not point at: loopback, private, link-local
 * (cloud metadata at 169.254.169.254), carrier-grade NAT, unspecified, multicast
 * and their IPv6 counterparts. An admin-set URL that reaches them would let the
 * API be used to probe or call internal services (SSRF).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** Whether `address` (a literal IP) is loopback, private, link-local or otherwise internal. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return isPrivateAddress(mapped[1]);
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) return blocked.check(address, "ipv6");
  return true;
}

function refused(field: string, message: string): DomainError {
  return new DomainError("PRIVATE_PROVIDER_URL", `${field}: ${message}`, { field, reason: "PRIVATE_PROVIDER_URL" });
}

/**
 * Refuses a provider base URL whose host is, or resolves to, an internal
 * address, unless the deployment allows it (`ALLOW_PRIVATE_PROVIDER_URLS=true`,
 * for the simulator and self-hosted Evolution on a private network). Every
 * resolved address counts, so a name with one public and one private address
 * is refused too.
 */
export async function assertPublicProviderUrl(
  ctx: Pick<CoreContext, "config">,
  url: string | undefined,
  field: string,
): Promise<void> {
  if (url === undefined || ctx.config.allowPrivateProviderUrls || !URL.canParse(url)) return; // the schema names a bad URL
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    if (isPrivateAddress(host)) throw refused(field, "points at a private, loopback or link-local address");
    return;
  }
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new DomainError("PROVIDER_HOST_UNRESOLVED", `${field}: host ${host} does not resolve`, {
      field,
      reason: "PROVIDER_HOST_UNRESOLVED",
    });
  }
  if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
    throw refused(field, `host ${host} resolves to a private, loopback or link-local address`);
  }
}

/** The host a provider's base URL points at (Meta's default when none is set). */
export function providerHost(provider: string, config: Record<string, unknown>): string {
  const url = typeof config.baseUrl === "string" ? config.baseUrl : undefined;
  if (url && URL.canParse(url)) return new URL(url).host.toLowerCase();
  return provider === "META" ? "graph.facebook.com" : "";
}

/** The secret each provider sends to its base URL: a new host must be given it again. */
export const HOST_BOUND_SECRET: Record<string, string> = { META: "accessToken", EVOLUTION: "apiKey" };
