import { BlockList, isIP } from "node:net";

/**
 * Which proxies in front of the API are trusted to say who the client is
 * (TRUST_PROXY). `null` trusts nothing: the client is the TCP peer and
 * X-Forwarded-For is ignored. A hop count trusts that many proxies nearest to
 * the API; a CIDR list trusts proxies whose address is inside one of them.
 */
export type ProxyTrust = null | { hops: number } | { cidrs: BlockList; spec: string };

/** TRUST_PROXY's value: empty/"false"/"0" = nothing, "2" = two hops, "10.0.0.0/8,127.0.0.1" = CIDR list. */
export function parseTrustProxy(spec: string | undefined): ProxyTrust {
  const v = (spec ?? "").trim();
  if (v === "" || v === "false" || v === "0") return null;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) throw new Error("hop count larger than 10");
    return { hops };
  }
  const cidrs = new BlockList();
  for (const part of v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [addr = "", prefixText] = part.split("/");
    const family = isIP(addr);
    if (family === 0) throw new Error(`"${part}" is not an IP address or CIDR range`);
    const type = family === 4 ? "ipv4" : "ipv6";
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText ?? "0").trim() === "") {
      throw new Error(`"${part}" has a bad prefix length`);
    }
    cidrs.addSubnet(addr, prefix, type);
  }
  return { cidrs, spec: v };
}

/** "::ffff:10.0.0.1" (IPv4 on a dual-stack socket) -> "10.0.0.1", so one client has one key. */
export function normalizeIp(ip: string): string {
  const lower = ip.trim().toLowerCase();
  return lower.startsWith("::ffff:") && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

function trusted(trust: { cidrs: BlockList }, ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && trust.cidrs.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address: walks the chain [X-Forwarded-For entries..., peer]
 * from the right (the API's side) past trusted proxies. An entry that is not
 * an IP address ends the walk at the trusted proxy that reported it, so what
 * reaches rate-limit keys and logs is always an address.
 */
export function clientAddress(trust: ProxyTrust, forwardedFor: string | undefined, peer: string | undefined): string {
  const remote = peer ? normalizeIp(peer) : "unknown";
  if (!trust || !forwardedFor) return remote;
  const chain = forwardedFor.split(",").map(normalizeIp);
  chain.push(remote);
  let i = chain.length - 1;
  if ("hops" in trust) {
    i = Math.max(0, chain.length - 1 - trust.hops);
  } else {
    while (i > 0 && trusted(trust, chain[i] as string)) i--;
  }
  // Never past a garbage entry: step back right to the nearest well-formed address.
  while (i < chain.length - 1 && isIP(chain[i] as string) === 0) i++;
  return chain[i] as string;
}
