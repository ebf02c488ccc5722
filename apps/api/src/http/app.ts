import type { SharedRateLimiter } from "@elsehu/core";
import { migrationsCurrent } from "@elsehu/db";
import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "pino";
import { appRouter } from "../router";
import { type ApiDeps, createContext } from "../trpc/context";
import { batchCap } from "./batch-cap";
import { bearerMatches } from "./bearer";
import type { BodyLimit, BodyLimits } from "./body-limits";
import { registerCampaignFiles } from "./campaign-files";
import { registerMedia } from "./media";
import type { Metrics } from "./metrics";
import { refuseHttpSubscriptions } from "./no-http-subscriptions";
import { mountPublicApi } from "./public-api";
import { type RateCheck, rateLimit, userAndIpLimit } from "./rate-limit";
import { mountReportsExport } from "./reports-export";
import { corsWhenOrigin, forBodies, requestBase, unexpectedError } from "./request-base";
import { type AppEnv, authVia, clientIp, tokenFromRequest } from "./request-info";
import type { ProxyTrust } from "./trust-proxy";
import { mountUploads } from "./uploads";
import { serveWebApp } from "./web-app";
import { registerWebhooks } from "./webhooks";

export type AppOptions = {
  deps: ApiDeps;
  log: Logger;
  corsOrigins: string[];
  bodyLimitKb: number;
  /** Largest upload in MB (CSV imports, messages.sendMedia, quickReplies.attach), refused by Content-Length before buffering. */
  uploadLimitMb?: number;
  metricsToken?: string;
  /** How long one database read of the business metrics serves scrapes (http/business-metrics.ts). */
  metricsCacheMs?: number;
  /** A download whose client takes no chunk for this long is ended and its database connection freed. */
  exportStallMs?: number;
  trustProxy: ProxyTrust;
  limiters: { webhook: SharedRateLimiter; files: SharedRateLimiter; api: SharedRateLimiter };
  webDist?: string;
  /** Extra routes (webhooks, uploads, downloads) mounted by later modules. */
  mount?: (app: Hono<AppEnv>) => void;
};

/** What the Hono app shares with the direct tRPC path (http/trpc-http.ts), so both count and limit alike. */
export type SharedEdge = { metrics: Metrics; rateCheck: RateCheck; limits: BodyLimits };

/** Routes that read or write files (downloads, exports, uploads): their own, smaller budget on top of the general one. */
const FILE_ROUTES = ["/media/*", "/uploads/*", "/imports/*", "/reports/*", "/campaigns/*"];

/**
 * Every route but the plain tRPC calls, which http/trpc-http.ts answers in
 * front of it; tRPC requests it declines (preflights, uploads, streaming...)
 * still come here and get the same edge.
 */
export function createApp(opts: AppOptions, { metrics, rateCheck, limits }: SharedEdge) {
  const app = new Hono<AppEnv>();

  app.use("*", requestBase({ log: opts.log, trustProxy: opts.trustProxy }));
  app.use("/trpc/*", corsWhenOrigin(opts.corsOrigins));
  // Limits before metrics: refused requests never reach a label (they are counted apart).
  app.use("/trpc/*", batchCap());
  app.use("/trpc/*", rateLimit(rateCheck, metrics));
  const fileLimit = rateLimit(userAndIpLimit({ user: opts.limiters.files, ip: opts.limiters.files }, "f"), metrics);
  for (const route of FILE_ROUTES) app.use(route, rateLimit(rateCheck, metrics), fileLimit);
  app.use("*", metrics.middleware);
  app.onError((err, c) => {
    const { status, body } = unexpectedError(err, c.get("log"), c.get("requestId"));
    return c.json(body, status);
  });

  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", async (c) => {
    try {
      const current = await migrationsCurrent(opts.deps.core.sql);
      if (!current) return c.json({ ok: false, reason: "migrations pending" }, 503);
      return c.json({ ok: true });
    } catch {
      return c.json({ ok: false, reason: "database unreachable" }, 503);
    }
  });
  app.get("/metrics", async (c) => {
    if (opts.metricsToken && !bearerMatches(c.req.header("authorization"), opts.metricsToken)) {
      return c.json({ error: "Metrics token required", reason: "SIGN_IN_REQUIRED" }, 401);
    }
    return c.text(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType });
  });

  app.use("/trpc/*", refuseHttpSubscriptions);
  const limited = (l: BodyLimit) =>
    bodyLimit({ maxSize: l.maxBytes, onError: (c) => c.json({ error: l.message }, 413) });
  const jsonLimit = limited(limits.json);
  const uploadLimit = limited(limits.upload);
  app.use(
    "/trpc/*",
    forBodies((c, next) =>
      (limits.forProcedure(c.req.path.slice(6)) === limits.upload ? uploadLimit : jsonLimit)(c, next),
    ),
  );
  app.use(
    "/trpc/*",
    trpcServer({
      router: appRouter,
      endpoint: "/trpc",
      createContext: (fetchOpts, c) =>
        createContext(opts.deps, {
          token: tokenFromRequest(c),
          via: authVia(c),
          ip: clientIp(c),
          userAgent: c.req.header("user-agent"),
          resHeaders: fetchOpts.resHeaders,
          origin: c.req.header("origin"),
          host: c.req.header("host"),
          requestId: c.get("requestId"),
        }),
      onError: ({ error, path, ctx }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          opts.log.error({ err: error.cause ?? error, path, reqId: ctx?.requestId }, "trpc error");
        }
      },
    }),
  );

  const stallMs = opts.exportStallMs ?? 60_000;
  mountReportsExport(app, opts.deps, { stallMs });
  registerCampaignFiles(app, opts.deps, { stallMs });
  mountUploads(app, opts.deps, { uploadLimitMb: opts.uploadLimitMb ?? 50 });
  registerWebhooks(app, opts.deps, opts.limiters.webhook);
  registerMedia(app, opts.deps);
  mountPublicApi(app, opts.deps, { limiter: opts.limiters.api, limits, stallMs });
  opts.mount?.(app);

  if (opts.webDist && !serveWebApp(app, opts.webDist)) {
    opts.log.warn({ webDist: opts.webDist }, "web console not built (run `pnpm build`); serving the API only");
  }
  return app;
}
