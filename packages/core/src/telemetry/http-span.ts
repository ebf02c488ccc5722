import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { tracer, tracingOn } from "./spans";

/** The request's server span, kept in its context: a router names it once it knows the route. */
const SERVER_SPAN = createContextKey("elsehu.server-span");

/** Ids in paths (uuids, numbers) become `:id`, so span names stay few. */
const ID_SEGMENT = /\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)(?=\/|$)/gi;

/**
 * An HTTP listener whose every request is a server span (continuing an incoming W3C
 * traceparent), the parent of what the request does: tRPC procedures, core verbs,
 * SQL. Wrap the listener only while tracing is on. The span carries the method, the
 * path without its query string, and the status.
 */
export function traceRequests(listener: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    const route = path.replace(ID_SEGMENT, "/:id");
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer().startSpan(
      `${req.method ?? "GET"} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { "http.request.method": req.method ?? "GET", "url.path": path, "http.route": route },
      },
      parent,
    );
    res.once("close", () => {
      span.setAttribute("http.response.status_code", res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span).setValue(SERVER_SPAN, span), () => listener(req, res));
  };
}

/**
 * Names the current request's server span by the route pattern that matched
 * (`GET /api/v1/conversations/{id}`), so span names stay few whatever the path
 * holds. A no-op while tracing is off or outside a request.
 */
export function nameRequestRoute(method: string, route: string): void {
  if (!tracingOn()) return;
  const span = context.active().getValue(SERVER_SPAN) as Span | undefined;
  if (!span) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute("http.route", route);
}
