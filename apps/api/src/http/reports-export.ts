import { DomainError, exportFinishedCsv } from "@elsehu/core";
import type { Context, Hono } from "hono";
import type { ApiDeps } from "../trpc/context";
import { type AppEnv, tokenFromRequest } from "./request-info";

const STATUS = { VALIDATION: 400, FORBIDDEN: 403, UNAUTHORIZED: 401, NOT_FOUND: 404 } as const;

/**
 * GET /reports/finished.csv?from=YYYY-MM-DD&to=YYYY-MM-DD[&operatorId&tabulationId&instanceId&tag&search][&excel=1]
 * Authenticated by bearer token or session cookie. The body is streamed from a
 * COPY with backpressure (pull-based), so memory stays flat.
 */
export function mountReportsExport(app: Hono<AppEnv>, deps: ApiDeps) {
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
      tag: q.tag || undefined,
      search: q.search || undefined,
      excel,
    });
    try {
      return await streamCsv(c, chunks, `conversas-${q.from}-a-${q.to}.csv`);
    } catch (err) {
      if (err instanceof DomainError && err.code in STATUS) {
        return c.json(
          { error: err.message, reason: err.reason, details: err.details },
          STATUS[err.code as keyof typeof STATUS],
        );
      }
      throw err;
    }
  });
}

/**
 * A CSV download streamed from `chunks` with backpressure (pull-based). The first
 * chunk is pulled before answering, so bad input or a forbidden filter throws
 * here (a clean 4xx for the caller), never a broken stream.
 */
export async function streamCsv(c: Context<AppEnv>, chunks: AsyncGenerator<Uint8Array>, name: string) {
  let pending: IteratorResult<Uint8Array> | null = await chunks.next();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = pending ?? (await chunks.next());
        pending = null;
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (err) {
        c.get("log").error({ err }, "csv export failed");
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return c.body(body, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${name}"`,
    "cache-control": "no-store",
  });
}
