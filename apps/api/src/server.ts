import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CoreConfig,
  createCoreContext,
  DomainError,
  NODE_STALE_SECONDS,
  SharedRateLimiter,
  socketsElsewhere,
  traceSql,
  tracingOn,
} from "@elsehu/core";
import { connect } from "@elsehu/db";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import type { Hono } from "hono";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { createHttpListener } from "./http/listener";
import { userAndIpLimit } from "./http/rate-limit";
import { type AppEnv, peerIp } from "./http/request-info";
import { originAllowed } from "./http/same-origin";
import type { ProxyTrust } from "./http/trust-proxy";
import { RealtimeHub } from "./realtime/hub";
import { PresenceTracker } from "./realtime/presence";
import { boundSendBuffer } from "./realtime/send-buffer";
import { SocketRegistry } from "./realtime/sockets";
import { SubscriptionCounter } from "./realtime/subscription-cap";
import { appRouter } from "./router";
import { type ApiDeps, COOKIE_NAME, createContext, readCookie } from "./trpc/context";
import { SessionCache, type SessionCacheOptions } from "./trpc/session-cache";

export type StartApiOptions = {
  databaseUrl: string;
  port: number;
  host?: string;
  log: Logger;
  config: CoreConfig;
  corsOrigins?: string[];
  bodyLimitKb?: number;
  uploadLimitMb?: number;
  metricsToken?: string;
  /** How long one database read of the business metrics serves /metrics scrapes (default 5 s). */
  metricsCacheMs?: number;
  /** EXPORT_STALL_TIMEOUT: a CSV download whose client stops reading is ended after this long (default 60 s). */
  exportStallMs?: number;
  trustProxy?: ProxyTrust;
  secureCookie?: boolean;
  rateLimits?: {
    userPerMinute: number;
    ipPerMinute: number;
    webhookPerMinute: number;
    filesPerMinute?: number;
    /** Public API requests per token (`/api/v1`). */
    apiPerMinute?: number;
  };
  webDist?: string;
  dbPoolMax?: number;
  /**
   * WebSocket bounds on this process: sockets and live subscriptions per user and in all,
   * unsent bytes per socket.
   */
  wsLimits?: {
    socketsPerUser?: number;
    subscriptionsPerUser?: number;
    maxBufferedBytes?: number;
    socketsPerProcess?: number;
    subscriptionsPerProcess?: number;
  };
  /** statement_timeout and idle_in_transaction_session_timeout of the API's connections (DB_* settings). */
  dbTimeouts?: { statementTimeoutMs?: number; idleInTransactionTimeoutMs?: number };
  now?: () => Date;
  sessionCheckMs?: number;
  /** In-process session cache (TTL, size); `{ ttlMs: 0 }` turns it off. */
  sessionCache?: SessionCacheOptions;
  /** Presence: grace before OFFLINE (PRESENCE_GRACE), heartbeat and sweep periods. */
  presence?: { graceSeconds?: number; heartbeatMs?: number; sweepMs?: number };
  mount?: (app: Hono<AppEnv>, deps: ApiDeps) => void;
  /**
   * On close, how long sockets may take to follow the reconnect notification
   * (tRPC clients open their next socket, resubscribe, then leave) before the
   * rest are cut. 0 cuts at once (tests with a single API).
   */
  drainMs?: number;
};

export type ApiHandle = {
  url: string;
  port: number;
  deps: ApiDeps;
  presence: PresenceTracker;
  close: () => Promise<void>;
  /** Simulates a crash for tests: stops beating and drops sockets without telling the database. */
  kill: () => Promise<void>;
};

/** Starts one API process: HTTP (tRPC calls, Hono for the rest) and tRPC WebSocket on the same port and path. */
export async function startApi(opts: StartApiOptions): Promise<ApiHandle> {
  const database = connect(opts.databaseUrl, {
    max: opts.dbPoolMax ?? 10,
    applicationName: "elsehu-api",
    ...opts.dbTimeouts,
    // Statement spans only while tracing is on: otherwise the client is not even wrapped.
    wrap: tracingOn() ? traceSql : undefined,
  });
  const listenDb = connect(opts.databaseUrl, { max: 1, applicationName: "elsehu-api-listen", ...opts.dbTimeouts });
  const core = createCoreContext(database, opts.log, opts.config, { now: opts.now, secureCookie: opts.secureCookie });
  const hub = new RealtimeHub(core, listenDb.sql);
  const sessionCache = new SessionCache(core, opts.sessionCache);
  sessionCache.attach(hub);
  await hub.start();
  const sockets = new SocketRegistry(core, hub, { checkEveryMs: opts.sessionCheckMs });
  sockets.start();
  const presence = new PresenceTracker(core, sockets, {
    graceSeconds: opts.presence?.graceSeconds ?? 15,
    heartbeatMs: opts.presence?.heartbeatMs,
    sweepMs: opts.presence?.sweepMs,
  });
  await presence.start();
  const corsOrigins = opts.corsOrigins ?? [];
  const limits = opts.rateLimits ?? { userPerMinute: 1200, ipPerMinute: 3000, webhookPerMinute: 120000 };
  const limiters = {
    user: new SharedRateLimiter(database.sql, { windowMs: 60_000, limit: limits.userPerMinute }),
    ip: new SharedRateLimiter(database.sql, { windowMs: 60_000, limit: limits.ipPerMinute }),
    webhook: new SharedRateLimiter(database.sql, { windowMs: 60_000, limit: limits.webhookPerMinute }),
    files: new SharedRateLimiter(database.sql, { windowMs: 60_000, limit: limits.filesPerMinute ?? 300 }),
    api: new SharedRateLimiter(database.sql, { windowMs: 60_000, limit: limits.apiPerMinute ?? 600 }),
  };
  const deps: ApiDeps = {
    core,
    hub,
    sockets,
    sessionCache,
    subscriptions: new SubscriptionCounter(
      opts.wsLimits?.subscriptionsPerUser ?? 100,
      opts.wsLimits?.subscriptionsPerProcess ?? 50_000,
    ),
    secureCookie: opts.secureCookie ?? false,
    allowedOrigins: corsOrigins,
    rateCheck: userAndIpLimit(limiters),
  };
  const listener = createHttpListener({
    hostname: opts.host ?? "127.0.0.1",
    deps,
    log: opts.log,
    corsOrigins,
    bodyLimitKb: opts.bodyLimitKb ?? 1024,
    uploadLimitMb: opts.uploadLimitMb,
    metricsToken: opts.metricsToken,
    metricsCacheMs: opts.metricsCacheMs,
    exportStallMs: opts.exportStallMs,
    trustProxy: opts.trustProxy ?? null,
    limiters,
    webDist: opts.webDist,
    mount: opts.mount ? (a) => opts.mount?.(a, deps) : undefined,
  });

  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });

  // Route upgrades ourselves: a ws server bound to the http server would answer 400 to other paths.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    onError: ({ error, path, ctx }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        opts.log.error({ err: error.cause ?? error, path, reqId: ctx?.requestId }, "trpc error");
      }
    },
    createContext: async ({ req, res, info }) => {
      const param = info.connectionParams?.token;
      const token = typeof param === "string" ? param : wsCookieToken(req, corsOrigins);
      const ctx = await createContext(deps, {
        token,
        via: "ws",
        ip: peerIp(
          opts.trustProxy ?? null,
          req.headers["x-forwarded-for"] as string | undefined,
          req.socket.remoteAddress,
        ),
        userAgent: req.headers["user-agent"],
        requestId: `ws-${randomUUID()}`,
      });
      if (ctx.user && ctx.session) {
        const max = opts.wsLimits?.socketsPerUser ?? 20;
        // This process's sockets, and the other live replicas' (their presence rows) once these leave room.
        const here = sockets.countFor(ctx.user.id);
        const elsewhere =
          here >= max ? 0 : await socketsElsewhere(core, ctx.user.id, presence.nodeId, NODE_STALE_SECONDS);
        if (here + elsewhere >= max) {
          // The close code and reason tell the client why; tRPC's own answer cannot pass a closing socket.
          res.close(4029, "TOO_MANY_SOCKETS");
          throw new DomainError("TOO_MANY_SOCKETS", `At most ${max} open sockets per user`, { max });
        }
        sockets.track(res, ctx.user.id, ctx.session.id);
      }
      return ctx;
    },
  });
  const maxBuffered = opts.wsLimits?.maxBufferedBytes ?? 1024 * 1024;
  const maxSockets = opts.wsLimits?.socketsPerProcess ?? 10_000;
  server.on("upgrade", (req, socket, head) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/trpc" && path !== "/trpc/") {
      socket.destroy();
      return;
    }
    // Cross-site WebSocket hijacking: a browser sends our cookie on any site's handshake, with its Origin.
    if (req.headers.origin !== undefined && !originAllowed(req.headers.origin, req.headers.host, corsOrigins)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    if (wss.clients.size >= maxSockets) {
      // Full, whoever asks (checked before any session lookup): 1013 "Try Again Later", which browsers
      // show to the page (an HTTP refusal of the handshake they hide); the client retries, maybe elsewhere.
      wss.handleUpgrade(req, socket, head, (ws) => ws.close(1013, "SERVER_BUSY"));
      opts.log.warn({ maxSockets }, "socket refused: WS_MAX_SOCKETS reached");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      boundSendBuffer(ws, maxBuffered, (buffered) =>
        opts.log.warn({ buffered, maxBuffered }, "socket dropped: its client stopped reading"),
      );
      wss.emit("connection", ws, req);
    });
  });

  const port = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    deps,
    presence,
    kill: async () => {
      if (closed) return;
      closed = true;
      await presence.stopWithoutRetiring();
      const closedServer = new Promise<void>((r) => server.close(() => r()));
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      sockets.stop();
      for (const l of Object.values(limiters)) l.stop();
      await closedServer;
      await hub.stop();
      sessionCache.detach();
      await listenDb.close();
      await database.close();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      // Tell clients to reconnect (to another process), then stop taking work.
      wsHandler.broadcastReconnectNotification();
      for (const l of Object.values(limiters)) l.stop();
      sockets.stop();
      // Stop accepting first, then drop the sockets: server.close waits for upgraded connections.
      const closedServer = new Promise<void>((r) => server.close(() => r()));
      if ("closeIdleConnections" in server) server.closeIdleConnections();
      const drainUntil = Date.now() + (opts.drainMs ?? 0);
      while (wss.clients.size > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
      for (const ws of wss.clients) ws.terminate();
      await closedServer;
      await presence.stop();
      wss.close();
      await hub.stop();
      sessionCache.detach();
      await listenDb.close();
      await database.close();
    },
  };
}

/**
 * The console authenticates its WebSocket with the HttpOnly cookie the
 * browser sends on the same-origin upgrade (it holds no token). Accepted only
 * with an allowed Origin: browsers always send one, and send cookies on
 * cross-site handshakes too.
 */
function wsCookieToken(req: IncomingMessage, allowedOrigins: string[]): string | undefined {
  const origin = req.headers.origin;
  if (!origin || !originAllowed(origin, req.headers.host, allowedOrigins)) return undefined;
  return readCookie(req.headers.cookie, COOKIE_NAME);
}
