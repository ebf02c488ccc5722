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
  const middleware: MiddlewareHandler = async (c, next) => {
    const start = performance.now();
    await next();
    const route = routeLabel(c.req.path, c.req.routePath);
    const seconds = (performance.now() - start) / 1000;
    requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    duration.observe({ method: c.req.method, route }, seconds);
  };
  return { registry, middleware };
}

/** tRPC calls are labelled by procedure path (batched calls joined by commas). */
function routeLabel(path: string, routePath: string): string {
  if (path.startsWith("/trpc/")) return `trpc:${path.slice(6).slice(0, 200)}`;
  return routePath || "unmatched";
}
