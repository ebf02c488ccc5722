import type { MiddlewareHandler } from "hono";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

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
  // Label children looked up once per label set: prom-client otherwise re-hashes the labels on every call.
  const children = new Map<
    string,
    { count: ReturnType<typeof requests.labels>; time: ReturnType<typeof duration.labels> }
  >();
  /** Counts one answered request; `seconds` is how long it took. */
  const observe = (method: string, route: string, status: number, seconds: number) => {
    const key = `${method} ${route} ${status}`;
    let child = children.get(key);
    if (!child) {
      const code = String(status);
      child = { count: requests.labels(method, route, code), time: duration.labels(method, route) };
      // Routes come from our code, but batched tRPC paths are client-chosen: bound the map.
      if (children.size < 5000) children.set(key, child);
    }
    child.count.inc();
    child.time.observe(seconds);
  };
  const middleware: MiddlewareHandler = async (c, next) => {
    const start = performance.now();
    await next();
    observe(c.req.method, routeLabel(c.req.path, c.req.routePath), c.res.status, (performance.now() - start) / 1000);
  };
  return { registry, middleware, observe };
}

/** tRPC calls are labelled by procedure path (batched calls joined by commas). */
export function trpcRouteLabel(procedurePath: string): string {
  return `trpc:${procedurePath.slice(0, 200)}`;
}

function routeLabel(path: string, routePath: string): string {
  if (path.startsWith("/trpc/")) return trpcRouteLabel(path.slice(6));
  return routePath || "unmatched";
}
