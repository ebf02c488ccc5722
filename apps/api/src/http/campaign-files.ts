import { DomainError, exportResultsCsv, importCampaignCsv, type SessionUser } from "@elsehu/core";
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { ApiDeps } from "../trpc/context";
import { exportStream } from "./export-stream";
import { type AppEnv, tokenFromRequest } from "./request-info";
import { CROSS_SITE_BODY, crossSiteWrite } from "./same-origin";

export const CAMPAIGN_CSV_MAX_BYTES = 20 * 1024 * 1024;

const STATUS = { VALIDATION: 400, NOT_FOUND: 404, PRECONDITION_FAILED: 409, CONFLICT: 409 } as const;

async function signedIn(c: Context<AppEnv>, deps: ApiDeps, roles: SessionUser["role"][]) {
  const token = tokenFromRequest(c);
  const { user } = token ? await deps.core.auth.validateSession(token) : { user: null };
  if (!user) return { error: c.json({ error: "Sign in first", reason: "SIGN_IN_REQUIRED" }, 401) };
  if (!roles.includes(user.role))
    return { error: c.json({ error: "Your role cannot do this", reason: "ROLE_FORBIDDEN" }, 403) };
  return { user: { id: user.id, role: user.role, name: user.name } };
}

function domainError(c: Context<AppEnv>, err: unknown) {
  if (!(err instanceof DomainError)) throw err;
  const status = err.details.tooLarge ? 413 : (STATUS[err.code as keyof typeof STATUS] ?? 400);
  return c.json({ error: err.message, code: err.code, reason: err.reason, details: err.details }, status);
}

const UploadQuery = z.object({
  campaignId: z.string().uuid(),
  fileName: z.string().max(200).default("lista.csv"),
  phoneColumn: z.string().max(64).optional(),
});

/**
 * Campaign audience upload (streamed CSV body, size-limited) and the results CSV.
 * Plain routes because tRPC does not stream request or response bodies.
 */
export function registerCampaignFiles(
  app: Hono<AppEnv>,
  deps: ApiDeps,
  opts: { stallMs: number; maxBytes?: number },
): void {
  const maxBytes = opts.maxBytes ?? CAMPAIGN_CSV_MAX_BYTES;
  app.post("/uploads/campaign-csv", async (c) => {
    const auth = await signedIn(c, deps, ["ADMIN"]);
    if (auth.error) return auth.error;
    // Cookie-authenticated writes must come from our own origin, as on the other uploads (CSRF).
    if (crossSiteWrite(c, deps.allowedOrigins)) return c.json(CROSS_SITE_BODY, 403);
    const query = UploadQuery.safeParse(c.req.query());
    if (!query.success) {
      const error = query.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      return c.json({ error, reason: "INVALID_INPUT", details: { field: query.error.issues[0]?.path.join(".") } }, 400);
    }
    // Refuse before reading a byte when the client declares the size.
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > maxBytes) return c.json({ error: `Arquivo maior que ${maxBytes} bytes` }, 413);
    const body = c.req.raw.body;
    if (!body) return c.json({ error: "file: corpo vazio", reason: "FILE_REQUIRED" }, 400);
    try {
      const result = await importCampaignCsv(deps.core, auth.user, {
        ...query.data,
        body: body as unknown as AsyncIterable<Uint8Array>,
        maxBytes,
      });
      return c.json(result, 200);
    } catch (err) {
      return domainError(c, err);
    }
  });

  app.get("/campaigns/:id/results.csv", async (c) => {
    const auth = await signedIn(c, deps, ["ADMIN", "SUPERVISOR"]);
    if (auth.error) return auth.error;
    const id = z.string().uuid().safeParse(c.req.param("id"));
    if (!id.success) return c.json({ error: "id: expected a UUID" }, 400);
    const chunks = exportResultsCsv(deps.core, id.data);
    let first: IteratorResult<string>;
    try {
      first = await chunks.next();
    } catch (err) {
      return domainError(c, err);
    }
    const body = exportStream(chunks, first, { stallMs: opts.stallMs, log: c.get("log"), outgoing: c.env?.outgoing });
    return c.body(body, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="campanha-${id.data}.csv"`,
      "cache-control": "no-store",
    });
  });
}
