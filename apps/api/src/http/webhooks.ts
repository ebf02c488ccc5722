import {
  acceptEvolutionBody,
  acceptMetaWebhook,
  answerMetaChallenge,
  applyTemplateUpdates,
  authenticateEvolutionWebhook,
  type DirectoryEntry,
  EVOLUTION_SECRET_HEADER,
  InstanceDirectory,
  precheckMetaWebhook,
  type SharedRateLimiter,
  WebhookWriter,
} from "@elsehu/core";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ApiDeps } from "../trpc/context";
import { webhookRateLimit } from "./rate-limit";
import type { AppEnv } from "./request-info";

/**
 * hono's bodyLimit reads `c.req.raw.body`, which makes @hono/node-server build a
 * whole web Request (stream, AbortSignal) for every POST: that was the largest
 * single cost of an acknowledgement. Providers send a Content-Length, and then
 * the header alone decides (node's parser never reads past it) and `c.req.text()`
 * reads node's request directly; a chunked body still goes through bodyLimit.
 */
const limit = (mb: number): MiddlewareHandler<AppEnv> => {
  const maxSize = mb * 1024 * 1024;
  const onError = (c: Context<AppEnv>) => c.json({ error: `Body larger than ${mb} MB` }, 413);
  const streamed = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const declared = c.req.header("content-length");
    if (declared === undefined || c.req.header("transfer-encoding") !== undefined) return streamed(c, next);
    if (Number(declared) > maxSize) return onError(c);
    await next();
  };
};

/** Meta's notifications are small JSON (text, statuses, media ids): a few MB at most. */
const META_LIMIT_MB = 3;
/** Evolution may inline media as base64: allowed only once the instance and its secret are known. */
const EVOLUTION_LIMIT_MB = 64;

/**
 * Provider webhooks. Each accepted POST is stored with its processing job in one
 * statement (shared with concurrent POSTs: group commit) and answered 200 before any processing (see core/webhooks). Bad
 * signature or secret: 401 and nothing stored; malformed body: 400; unknown instance: 404.
 * Whatever can be checked without the body is checked before a byte of it is read.
 * They use the webhook limiter, never the per-user one.
 */
export function registerWebhooks(app: Hono<AppEnv>, deps: ApiDeps, limiter: SharedRateLimiter): InstanceDirectory {
  const directory = new InstanceDirectory(deps.core);
  const writer = new WebhookWriter(deps.core.sql);
  const answer = (c: Context<AppEnv>, outcome: { status: 200 | 400 | 401 | 403 | 404; error?: string }) => {
    if (outcome.status !== 200) c.get("log").warn({ status: outcome.status, error: outcome.error }, "webhook refused");
    return outcome.status === 200 ? c.json({ ok: true }) : c.json({ error: outcome.error }, outcome.status);
  };
  app.use("/webhooks/*", webhookRateLimit(limiter));

  app.get("/webhooks/meta", async (c) => {
    const challenge = await answerMetaChallenge(directory, c.req.query());
    return challenge === null ? c.json({ error: "Verification failed" }, 403) : c.text(challenge);
  });

  app.post(
    "/webhooks/meta",
    async (c, next) => {
      const refused = await precheckMetaWebhook(directory, c.req.header("x-hub-signature-256"));
      if (refused) return answer(c, refused);
      await next();
    },
    limit(META_LIMIT_MB),
    async (c) => {
      const raw = await c.req.text();
      return answer(
        c,
        await acceptMetaWebhook(writer, directory, { raw, signature: c.req.header("x-hub-signature-256") }, (updates) =>
          applyTemplateUpdates(deps.core, updates),
        ),
      );
    },
  );

  const authenticated = new WeakMap<Context<AppEnv>, DirectoryEntry>();
  app.post(
    "/webhooks/evolution/:instanceId",
    async (c, next) => {
      const auth = await authenticateEvolutionWebhook(directory, {
        instanceId: c.req.param("instanceId"),
        secret: c.req.header(EVOLUTION_SECRET_HEADER),
      });
      if ("outcome" in auth) return answer(c, auth.outcome);
      authenticated.set(c, auth.entry);
      await next();
    },
    limit(EVOLUTION_LIMIT_MB),
    async (c) => {
      const entry = authenticated.get(c);
      if (!entry) throw new Error("Evolution webhook body read before authentication");
      return answer(c, await acceptEvolutionBody(writer, entry, await c.req.text()));
    },
  );
  return directory;
}
