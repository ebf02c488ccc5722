import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { type ApiDeps, createContext } from "../trpc/context";
import { type CallPlan, planCalls, runCalls } from "../trpc/http-calls";
import { type BodyLimits, discardRest, readBody } from "./body-limits";
import { type Metrics, trpcRouteLabel } from "./metrics";
import { type RateCheck, tooManyRequests } from "./rate-limit";
import { requestIdFor, SECURITY_HEADER_LIST, unexpectedError } from "./request-base";
import { authViaHeaders, peerIp, tokenFromHeaders } from "./request-info";
import type { ProxyTrust } from "./trust-proxy";

export type TrpcHttpOptions = {
  deps: ApiDeps;
  log: Logger;
  corsOrigins: string[];
  trustProxy: ProxyTrust;
  rateCheck: RateCheck;
  limits: BodyLimits;
  metrics: Metrics;
};

type Route = { method: "GET" | "POST"; path: string; search: URLSearchParams; plan: CallPlan };

/**
 * tRPC over HTTP on node's request and response, in front of Hono: the edge of
 * every API call (request id, security headers, CORS, rate limit, body limit,
 * metrics) and the calls themselves, with no Fetch objects, abort-signal
 * chains or middleware dispatch in between. Returns false, before touching
 * anything, for what it does not answer (preflights, streaming, uploads,
 * unknown paths...): Hono's full chain and tRPC's own adapter answer those.
 */
export function createTrpcHttp(opts: TrpcHttpOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const route = routeOf(req);
    if (!route) return false;
    void answer(opts, req, res, route);
    return true;
  };
}

function routeOf(req: IncomingMessage): Route | null {
  const url = req.url ?? "";
  const method = req.method;
  if ((method !== "GET" && method !== "POST") || !url.startsWith("/trpc/")) return null;
  const q = url.indexOf("?");
  const path = url.slice(6, q === -1 ? undefined : q);
  if (path.includes("%")) return null;
  const search = new URLSearchParams(q === -1 ? "" : url.slice(q + 1));
  const h = req.headers;
  const media = h["content-type"]?.split(";", 1)[0]?.trim().toLowerCase();
  if (method === "POST" ? media !== "application/json" : media !== undefined && media !== "application/json")
    return null;
  if (h["trpc-accept"] !== undefined || h.accept?.split(",").some((t) => t.trim() === "application/jsonl")) return null;
  if (search.has("connectionParams")) return null;
  const plan = planCalls(method, path, search.get("batch") === "1");
  return plan && { method, path, search, plan };
}

async function answer(o: TrpcHttpOptions, req: IncomingMessage, res: ServerResponse, r: Route) {
  const start = performance.now();
  const h = req.headers;
  const reqId = requestIdFor(h["x-request-id"] as string | undefined);
  // Names and values in one flat list, written once by writeHead (no per-header bookkeeping).
  const headers = [...SECURITY_HEADER_LIST, "X-Request-Id", reqId];
  // CORS as hono/cors does for a non-preflight request (preflights go to Hono).
  if (h.origin !== undefined) {
    if (o.corsOrigins.includes(h.origin)) headers.push("Access-Control-Allow-Origin", h.origin);
    headers.push("Access-Control-Allow-Credentials", "true");
  }
  const send = (status: number, body: string, vary = "Origin", observe = true) => {
    const length = String(Buffer.byteLength(body));
    headers.push("Vary", vary, "Content-Type", "application/json", "Content-Length", length);
    res.writeHead(status, headers);
    res.end(body);
    if (observe) o.metrics.observe(r.method, trpcRouteLabel(r.path), status, (performance.now() - start) / 1000);
  };
  try {
    const ip = peerIp(o.trustProxy, h["x-forwarded-for"] as string | undefined, req.socket.remoteAddress);
    const token = tokenFromHeaders(h.authorization, h.cookie);
    const rate = o.rateCheck(ip, token, r.plan.paths.length);
    if (!rate.allowed) {
      headers.push("Retry-After", String(rate.retryAfterSeconds));
      if (r.method === "POST") res.once("finish", () => discardRest(req));
      o.metrics.rateLimited.inc();
      return send(429, JSON.stringify(tooManyRequests(rate.retryAfterSeconds)), "Origin", false);
    }
    let rawInput = r.search.get("input");
    if (r.method === "POST") {
      const limit = o.limits.forProcedure(r.path);
      rawInput = await readBody(req, limit.maxBytes);
      if (rawInput === null) {
        res.once("finish", () => discardRest(req));
        return send(413, JSON.stringify({ error: limit.message }));
      }
    }
    // A client that leaves aborts its calls, as tRPC's adapters do.
    const abort = new AbortController();
    res.once("close", () => res.writableFinished || abort.abort());
    const resHeaders = { append: (name: string, value: string) => void headers.push(name, value) };
    const result = await runCalls(
      r.plan,
      rawInput,
      () =>
        createContext(o.deps, {
          token,
          via: authViaHeaders(h.authorization, h.cookie),
          ip,
          userAgent: h["user-agent"],
          resHeaders,
          origin: h.origin,
          host: h.host,
          requestId: reqId,
        }),
      {
        signal: abort.signal,
        onError: ({ error, path }) => {
          if (error.code === "INTERNAL_SERVER_ERROR")
            o.log.error({ err: error.cause ?? error, path, reqId }, "trpc error");
        },
      },
    );
    send(result.status, result.body, "trpc-accept, accept, Origin");
  } catch (err) {
    const { status, body } = unexpectedError(err, o.log.child({ reqId }), reqId);
    if (res.headersSent) res.destroy();
    else send(status, JSON.stringify(body));
  }
}
