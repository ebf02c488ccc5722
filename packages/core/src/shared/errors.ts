export type DomainErrorCode =
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAUTHORIZED"
  | "CONFLICT"
  | "VALIDATION"
  | "PRECONDITION_FAILED"
  | "RATE_LIMITED"
  | "PROVIDER_UNAVAILABLE";

/** The one error core verbs throw; routers map `code` to a tRPC/HTTP code in one place. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);
export const forbidden = (message = "You are not allowed to do this") => new DomainError("FORBIDDEN", message);
