import type { Context } from "hono";
import type { ProviderKind } from "../types";
import type { SimulatorState } from "./sim-state";
import type { FailKind } from "./sim-types";

const FBTRACE = "AZ9kQwErTy1234567890Ab";

function metaError(code: number, message: string, details?: string): unknown {
  const error: Record<string, unknown> = { message, type: "OAuthException", code };
  if (details) error.error_data = { messaging_product: "whatsapp", details };
  return { error: { ...error, fbtrace_id: FBTRACE } };
}

export function evolutionError(status: number, error: string, message: unknown): unknown {
  return { status, error, response: { message } };
}

export const metaErrors = {
  invalidParameter: (details: string) => metaError(100, "(#100) Invalid parameter", details),
  badToken: () => metaError(190, "Invalid OAuth access token - Cannot parse access token"),
  noToken: () => metaError(2500, "An active access token must be used to query information about the current user."),
  mediaProblem: (details: string) => metaError(131053, "(#131053) Media upload error", details),
  unknownObject: (id: string) =>
    metaError(100, `Unsupported request - method type: post. Object with ID '${id}' does not exist`),
};

/**
 * Answers a request with the failure a fail() rule asked for, in the provider's own
 * error shape (the reference fixtures). "timeout" holds the request until the client
 * gives up (or `hangMs`), then answers 504.
 */
export async function failResponse(
  c: Context,
  state: SimulatorState,
  provider: ProviderKind,
  kind: FailKind,
  number?: string,
): Promise<Response> {
  const meta = provider === "META";
  switch (kind) {
    case "429":
      return meta
        ? c.json(metaError(130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached."), 429)
        : c.json(evolutionError(429, "Too Many Requests", ["Too many requests"]), 429);
    case "500":
      return meta
        ? c.json(metaError(131000, "(#131000) Something went wrong", "Something went wrong"), 500)
        : c.json(evolutionError(500, "Internal Server Error", ["Internal server error"]), 500);
    case "timeout":
      await state.sleep(state.options.hangMs ?? 30_000);
      return c.json({ message: "gateway timeout" }, 504);
    case "131047":
      return c.json(
        metaError(
          131047,
          "(#131047) Re-engagement message",
          "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
        ),
        400,
      );
    case "not_on_whatsapp": {
      const digits = (number ?? "").replace(/\D/g, "");
      return c.json(
        evolutionError(400, "Bad Request", [{ jid: `${digits}@s.whatsapp.net`, exists: false, number: digits }]),
        400,
      );
    }
    case "instance_not_connected":
      return c.json(
        evolutionError(400, "Bad Request", [`The "${c.req.param("instance") ?? ""}" instance is not connected`]),
        400,
      );
  }
}
