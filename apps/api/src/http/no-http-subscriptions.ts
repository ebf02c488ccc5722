import type { AnyTRPCProcedure } from "@trpc/server";
import type { MiddlewareHandler } from "hono";
import { appRouter } from "../router";
import type { AppEnv } from "./request-info";

/** Flat at runtime: "auth.onSessionEnded" -> procedure. */
const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;

/** True when any of the comma-separated tRPC paths names a subscription. */
export function namesSubscription(raw: string): boolean {
  let paths = raw;
  try {
    paths = decodeURIComponent(raw);
  } catch {
    // Malformed escapes name no procedure; tRPC answers them with NOT_FOUND.
  }
  return paths.split(",").some((p) => Object.hasOwn(procedures, p) && procedures[p]?._def.type === "subscription");
}

/**
 * Subscriptions run only over the WebSocket, whose sockets are tracked and
 * closed when their session ends (logout, revoke, expiry, deactivation, role
 * change). An HTTP (SSE) stream would keep its first context, and keep
 * streaming after the session is gone, so it is refused before any work:
 * 405 METHOD_NOT_SUPPORTED with the reason SUBSCRIPTION_WS_ONLY, in tRPC's
 * error envelope.
 */
export const refuseHttpSubscriptions: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === "OPTIONS" || !namesSubscription(c.req.path.slice(6))) return next();
  return c.json(
    {
      error: {
        message: "Subscriptions are served over the WebSocket only (/trpc, upgrade)",
        code: -32005,
        data: { code: "METHOD_NOT_SUPPORTED", httpStatus: 405, reason: "SUBSCRIPTION_WS_ONLY" },
      },
    },
    405,
    { allow: "" },
  );
};
