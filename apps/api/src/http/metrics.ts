import type { MiddlewareHandler } from "hono";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

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
  const middleware: MiddlewareHandler = async (c, next) => {
    const start = performance.now();
    await next();
    const method = c.req.method;
    const route = routeLabel(c.req.path, c.req.routePath);
    const status = String(c.res.status);
    const key = `${method} ${route} ${status}`;
    let child = children.get(key);
    if (!child) {
      child = { count: requests.labels(method, route, status), time: duration.labels(method, route) };
      // Routes come from our code, but batched tRPC paths are client-chosen: bound the map.
      if (children.size < 5000) children.set(key, child);
    }
    child.count.inc();
    child.time.observe((performance.now() - start) / 1000);
  };
  return { registry, middleware };
}

/** tRPC calls are labelled by procedure path (batched calls joined by commas). */
function routeLabel(path: string, routePath: string): string {
  if (path.startsWith("/trpc/")) return `trpc:${path.slice(6).slice(0, 200)}`;
  return routePath || "unmatched";
}
