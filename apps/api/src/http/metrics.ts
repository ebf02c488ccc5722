import type { MiddlewareHandler } from "hono";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import { appRouter } from "../router";

/** Every label value comes from these sets or from the routes our code registers: clients cannot add series. */
const PROCEDURES = new Set(Object.keys(appRouter._def.procedures));
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export type Metrics = ReturnType<typeof createMetrics>;

/** Prometheus metrics of one API process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by route",
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: "http_requests_rate_limited_total",
    help: "Requests refused by a rate limit (429), before any route label",
    registers: [registry],
  });
  // Label children looked up once per label set: prom-client otherwise re-hashes the labels on every call.
  const children = new Map<
    string,
    { count: ReturnType<typeof requests.labels>; time: ReturnType<typeof duration.labels> }
  >();
  /** Counts one answered request; `seconds` is how long it took. */
  const observe = (rawMethod: string, route: string, status: number, seconds: number) => {
    const method = METHODS.has(rawMethod) ? rawMethod : "OTHER";
    const key = `${method} ${route} ${status}`;
    let child = children.get(key);
    if (!child) {
      const code = String(status);
      child = { count: requests.labels(method, route, code), time: duration.labels(method, route) };
      children.set(key, child);
    }
    child.count.inc();
    child.time.observe(seconds);
  };
  const middleware: MiddlewareHandler = async (c, next) => {
    const start = performance.now();
    await next();
    observe(c.req.method, routeLabel(c.req.path, c.req.routePath), c.res.status, (performance.now() - start) / 1000);
  };
  return { registry, middleware, observe, rateLimited };
}

/**
 * A tRPC request's label: `trpc:<procedure>` for a known procedure (or a batch
 * of calls to that one procedure), `trpc:batch` for a batch of several known
 * ones, and `trpc:unknown` for anything else the client made up.
 */
export function trpcRouteLabel(procedurePath: string): string {
  const names = new Set(procedurePath.split(","));
  for (const name of names) if (!PROCEDURES.has(name)) return "trpc:unknown";
  return names.size === 1 ? `trpc:${procedurePath.split(",", 1)[0]}` : "trpc:batch";
}

/** Other routes are labelled by the pattern our code registered (`/media/:id`), never by the path itself. */
function routeLabel(path: string, routePath: string): string {
  if (path.startsWith("/trpc/")) return trpcRouteLabel(path.slice(6));
  return routePath || "unmatched";
}
