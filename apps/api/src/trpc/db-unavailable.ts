import { TRPCError } from "@trpc/server";

/** A 503 the client may retry: the database is restarting or unreachable (never a 500, never a hang). */
export function databaseUnavailable(cause: unknown): TRPCError {
  return new TRPCError({
    code: "SERVICE_UNAVAILABLE",
    message: "Banco de dados indisponível no momento; tente novamente em instantes",
    cause,
  });
}
