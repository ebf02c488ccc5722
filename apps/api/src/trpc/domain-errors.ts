import { DomainError, isDatabaseUnavailable, isQueryTimeout } from "@elsehu/core";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { databaseUnavailable } from "./db-unavailable";

const CODES = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  CONFLICT: "CONFLICT",
  VALIDATION: "BAD_REQUEST",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  PROVIDER_UNAVAILABLE: "SERVICE_UNAVAILABLE",
} as const;

/**
 * The tRPC error for what a procedure threw: core's DomainError by its code, a zod error from
 * core's own parsing, an unreachable database or a cancelled query as 503; anything else stays
 * as it is (an internal error). One mapping for the console's `/trpc` and the public `/api/v1`.
 */
export function toTRPCError(cause: unknown): TRPCError | undefined {
  if (cause instanceof DomainError) return new TRPCError({ code: CODES[cause.code], message: cause.message, cause });
  if (cause instanceof ZodError) return new TRPCError({ code: "BAD_REQUEST", message: "Invalid input", cause });
  if (isDatabaseUnavailable(cause)) return databaseUnavailable(cause);
  if (isQueryTimeout(cause)) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The query took too long and was cancelled", cause });
  }
  return undefined;
}
