import { type DetailsOf, DOMAIN_REASONS, type DomainErrorCode, type DomainReason } from "./reasons";

export type { DomainErrorCode } from "./reasons";

type DetailsArg<R extends DomainReason> = R extends keyof import("./reasons").ReasonDetails
  ? [details: DetailsOf<R>]
  : [details?: DetailsOf<R>];

/**
 * The one error core verbs throw. `reason` is the machine code clients read
 * (see `reasons.ts`); `code` follows from it and routers map it to a tRPC/HTTP
 * code in one place; `message` is English, for logs and API users.
 * A plain `Error` thrown in core is a bug (a broken invariant), answered 500.
 */
export class DomainError<R extends DomainReason = DomainReason> extends Error {
  readonly code: DomainErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    readonly reason: R,
    message: string,
    ...[details]: DetailsArg<R>
  ) {
    super(message);
    this.name = "DomainError";
    this.code = DOMAIN_REASONS[reason];
    this.details = details ?? {};
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`, { what });
export const forbidden = (message = "You are not allowed to do this") => new DomainError("FORBIDDEN", message);

/**
 * A broken invariant (a row that vanished inside its own transaction, a stream
 * that is not what Postgres promises): a bug, never a client's mistake, so it
 * has no reason and clients see a 500 (INTERNAL). Thrown as `throw bug("…")`.
 */
export class InvariantError extends Error {
  override name = "InvariantError";
}

export const bug = (message: string) => new InvariantError(message);
