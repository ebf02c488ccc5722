import { isDatabaseUnavailable, type SharedRateLimiter } from "@elsehu/core";
import { migrationsCurrent } from "@elsehu/db";
import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "pino";
import { appRouter } from "../router";
import { type ApiDeps, createContext } from "../trpc/context";
import { registerCampaignFiles } from "./campaign-files";
import { registerMedia } from "./media";
import { createMetrics } from "./metrics";
import { rateLimit } from "./rate-limit";
import { mountReportsExport } from "./reports-export";
import { corsWhenOrigin, forBodies, requestBase } from "./request-base";
import { type AppEnv, authVia, clientIp, tokenFromRequest } from "./request-info";
import { mountUploads } from "./uploads";
import { serveWebApp } from "./web-app";
import { registerWebhooks } from "./webhooks";

export type AppOptions = {
  deps: ApiDeps;
  log: Logger;
  corsOrigins: string[];
  bodyLimitKb: number;
  /** Largest upload in MB (CSV imports, messages.sendMedia), refused by Content-Length before buffering. */
  uploadLimitMb?: number;
  metricsToken?: string;
  trustProxy: boolean;
  limiters: { user: SharedRateLimiter; ip: SharedRateLimiter; webhook: SharedRateLimiter };
  webDist?: string;
  /** Extra routes (webhooks, uploads, downloads) mounted by later modules. */
  mount?: (app: Hono<AppEnv>) => void;
};

export function createApp(opts: AppOptions) {
  const app = new Hono<AppEnv>();
  const metrics = createMetrics();

  app.use("*", requestBase({ log: opts.log, trustProxy: opts.trustProxy }));
  app.use("*", metrics.middleware);
  app.use("/trpc/*", corsWhenOrigin(opts.corsOrigins));
  app.onError((err, c) => {
    if (isDatabaseUnavailable(err)) {
      c.get("log").warn({ err }, "database unavailable");
      return c.json({ error: "Banco de dados indisponível; tente novamente", requestId: c.get("requestId") }, 503);
    }
    c.get("log").error({ err }, "unhandled error");
    return c.json({ error: "Internal error", requestId: c.get("requestId") }, 500);
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
    if (opts.metricsToken && c.req.header("authorization") !== `Bearer ${opts.metricsToken}`) {
      return c.json({ error: "Metrics token required" }, 401);
    }
    return c.text(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType });
  });

  app.use("/trpc/*", rateLimit(opts.limiters));
  const jsonLimit = bodyLimit({
    maxSize: opts.bodyLimitKb * 1024,
    onError: (c) => c.json({ error: `Request body larger than ${opts.bodyLimitKb} KB` }, 413),
  });
  const uploadMb = opts.uploadLimitMb ?? 50;
  const uploadLimit = bodyLimit({
    maxSize: uploadMb * 1024 * 1024,
    onError: (c) => c.json({ error: `File larger than ${uploadMb} MB` }, 413),
  });
  app.use(
    "/trpc/*",
    forBodies((c, next) => (c.req.path === "/trpc/messages.sendMedia" ? uploadLimit : jsonLimit)(c, next)),
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
        }),
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") opts.log.error({ err: error.cause ?? error, path }, "trpc error");
      },
    }),
  );

  mountReportsExport(app, opts.deps);
  registerCampaignFiles(app, opts.deps);
  mountUploads(app, opts.deps, { uploadLimitMb: opts.uploadLimitMb ?? 50 });
  registerWebhooks(app, opts.deps, opts.limiters.webhook);
  registerMedia(app, opts.deps);
  opts.mount?.(app);

  if (opts.webDist && !serveWebApp(app, opts.webDist)) {
    opts.log.warn({ webDist: opts.webDist }, "web console not built (run `pnpm build`); serving the API only");
  }
  return app;
}
