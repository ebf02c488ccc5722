import { DomainError, isDatabaseUnavailable, isQueryTimeout, type Reason } from "@elsehu/core";
import type { TRPCError } from "@trpc/server";
import { ZodError } from "zod";

/** One input problem, as the console reads it: `code` and bounds are zod's, for pt-BR text without parsing English. */
export type InputIssue = { path: string; message: string; code: string; minimum?: number; maximum?: number };

/** The `reason` of an error that never was a DomainError, from its tRPC code. */
const BY_TRPC_CODE: Partial<Record<TRPCError["code"], Reason>> = {
  PARSE_ERROR: "INVALID_INPUT",
  BAD_REQUEST: "INVALID_INPUT",
  UNAUTHORIZED: "SIGN_IN_REQUIRED",
  FORBIDDEN: "ROLE_FORBIDDEN",
  NOT_FOUND: "PROCEDURE_NOT_FOUND",
  METHOD_NOT_SUPPORTED: "PROCEDURE_NOT_FOUND",
  TOO_MANY_REQUESTS: "RATE_LIMITED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

function issuesOf(error: ZodError): InputIssue[] {
  return error.issues.map((i) => {
    const bounds = i as { minimum?: unknown; maximum?: unknown };
    return {
      path: i.path.join("."),
      message: i.message,
      code: i.code,
      ...(typeof bounds.minimum === "number" ? { minimum: bounds.minimum } : {}),
      ...(typeof bounds.maximum === "number" ? { maximum: bounds.maximum } : {}),
    };
  });
}

/**
 * What every tRPC error carries besides tRPC's own shape: a machine `reason`
 * (core's catalog, `reasons.ts`), the DomainError's `details`, and for input
 * errors the zod issues. Used by the one errorFormatter, so the fast HTTP path,
 * tRPC's fetch adapter and the WebSocket all answer alike.
 */
export type ErrorData = {
  message: string;
  reason: Reason;
  zodIssues: InputIssue[] | null;
  details: Record<string, unknown> | undefined;
};

export function errorData(error: TRPCError, message: string): ErrorData {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    const zodIssues = issuesOf(cause);
    const field = zodIssues[0]?.path ?? "";
    return {
      message: zodIssues.map((z) => `${z.path || "input"}: ${z.message}`).join("; "),
      reason: "INVALID_INPUT",
      zodIssues,
      details: { field },
    };
  }
  if (cause instanceof DomainError) {
    return { message, reason: cause.reason, zodIssues: null, details: cause.details };
  }
  if (isDatabaseUnavailable(cause))
    return { message, reason: "DATABASE_UNAVAILABLE", zodIssues: null, details: undefined };
  if (isQueryTimeout(cause)) {
    return {
      message: "The query took too long and was cancelled",
      reason: "QUERY_TIMEOUT",
      zodIssues: null,
      details: undefined,
    };
  }
  const reason: Reason = BY_TRPC_CODE[error.code] ?? "INTERNAL";
  // An unexpected failure's own words (SQL text, parameters, stack) stay in the log, never reach a client.
  if (reason === "INTERNAL") return { message: "Internal server error", reason, zodIssues: null, details: undefined };
  return { message, reason, zodIssues: null, details: undefined };
}
