import type { RequestListener } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { type AppOptions, createApp } from "./app";
import { bodyLimits } from "./body-limits";
import { registerBusinessMetrics } from "./business-metrics";
import { createMetrics } from "./metrics";
import { createTrpcHttp } from "./trpc-http";

/**
 * The API's HTTP request listener: plain tRPC calls straight to the direct
 * path (http/trpc-http.ts), everything else (and every tRPC request it
 * declines) to the Hono app. Both share metrics, rate limits and body limits.
 */
export function createHttpListener(opts: AppOptions & { hostname: string }): RequestListener {
  const metrics = createMetrics();
  registerBusinessMetrics(metrics.registry, opts.deps.core, { cacheMs: opts.metricsCacheMs });
  const edge = {
    metrics,
    rateCheck: opts.deps.rateCheck,
    limits: bodyLimits(opts.bodyLimitKb, opts.uploadLimitMb ?? 50),
  };
  const app = createApp(opts, edge);
  const hono = getRequestListener(app.fetch, { hostname: opts.hostname });
  const trpc = createTrpcHttp({
    deps: opts.deps,
    log: opts.log,
    corsOrigins: opts.corsOrigins,
    trustProxy: opts.trustProxy,
    ...edge,
  });
  return (req, res) => {
    if (!trpc(req, res)) void hono(req, res);
  };
}
