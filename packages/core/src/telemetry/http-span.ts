import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { tracer } from "./spans";

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
    context.with(trace.setSpan(parent, span), () => listener(req, res));
  };
}
