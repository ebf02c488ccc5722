import { DomainError, exportFinishedCsv } from "@elsehu/core";
import type { Hono } from "hono";
import type { ApiDeps } from "../trpc/context";
import { exportStream } from "./export-stream";
import { type AppEnv, tokenFromRequest } from "./request-info";

const STATUS = { VALIDATION: 400, FORBIDDEN: 403, UNAUTHORIZED: 401, NOT_FOUND: 404 } as const;

/**
 * GET /reports/finished.csv?from=YYYY-MM-DD&to=YYYY-MM-DD[&operatorId&tabulationId&instanceId&departmentId&tag&search][&excel=1]
 * Authenticated by bearer token or session cookie. The body is streamed from a
 * COPY with backpressure (pull-based), so memory stays flat; a client that stops
 * reading for `stallMs` is dropped and the COPY's connection freed (export-stream.ts).
 */
export function mountReportsExport(app: Hono<AppEnv>, deps: ApiDeps, opts: { stallMs: number }) {
  app.get("/reports/finished.csv", async (c) => {
    const token = tokenFromRequest(c);
    const auth = token && token.length < 200 ? await deps.core.auth.validateSession(token) : null;
    if (!auth?.user) return c.json({ error: "Sign in first" }, 401);
    const q = c.req.query();
    const excel = q.excel === "1" || q.excel === "true";
    const viewer = { id: auth.user.id, role: auth.user.role, name: auth.user.name };
    const chunks = exportFinishedCsv(deps.core, viewer, {
      from: q.from ?? "",
      to: q.to ?? "",
      operatorId: q.operatorId || undefined,
      tabulationId: q.tabulationId || undefined,
      instanceId: q.instanceId || undefined,
      departmentId: q.departmentId || undefined,
      tag: q.tag || undefined,
      search: q.search || undefined,
      excel,
    });
    // Pull the first chunk before answering so bad input or a forbidden filter is a clean 4xx, not a broken stream.
    let first: IteratorResult<Uint8Array>;
    try {
      first = await chunks.next();
    } catch (err) {
      if (err instanceof DomainError && err.code in STATUS) {
        return c.json(
          { error: err.message, reason: err.reason, details: err.details },
          STATUS[err.code as keyof typeof STATUS],
        );
      }
      throw err;
    }
    const body = exportStream(chunks, first, { stallMs: opts.stallMs, log: c.get("log"), outgoing: c.env?.outgoing });
    const name = `conversas-${q.from}-a-${q.to}.csv`;
    return c.body(body, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    });
  });
}
