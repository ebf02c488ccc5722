import {
  type AnyTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  TRPCError,
  transformTRPCResponse,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import { MAX_BATCH_CALLS } from "../http/batch-cap";
import { appRouter } from "../router";
import type { Context } from "./context";

/*
 * tRPC's HTTP protocol for plain JSON calls (queries by GET, mutations by POST,
 * batched or not), answered without building Fetch Request/Response objects.
 * Each step mirrors resolveResponse in @trpc/server 11.25 (pinned), using its
 * exported error shaping, status and serialization. Anything else (streaming,
 * SSE subscriptions, uploads, unknown paths, wrong methods) is left to tRPC's
 * own adapter: planCalls returns null. apps/api/test/trpc-http.test.ts checks
 * that both answer alike.
 */

const config = appRouter._def._config;
/** Flat at runtime: "auth.me" -> procedure (the type describes the nested record). */
const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;

export type CallPlan = { type: "query" | "mutation"; isBatch: boolean; paths: string[]; procs: AnyTRPCProcedure[] };

export function planCalls(method: "GET" | "POST", path: string, isBatch: boolean): CallPlan | null {
  const type = method === "GET" ? "query" : "mutation";
  const paths = isBatch ? path.split(",") : [path];
  // Too large a batch is refused by Hono's batchCap, in one place.
  if (paths.length > MAX_BATCH_CALLS) return null;
  const procs: AnyTRPCProcedure[] = [];
  for (const p of paths) {
    const proc = Object.hasOwn(procedures, p) ? procedures[p] : undefined;
    if (!proc || proc._def.type !== type) return null;
    procs.push(proc);
  }
  return { type, isBatch, paths, procs };
}

type CallOutcome = [TRPCError, undefined] | [undefined, { data: unknown }];
type ErrorReport = { error: TRPCError; path: string | undefined; input: unknown; ctx: Context | undefined };

/** Runs the planned calls; `rawInput` is the `input` query parameter (GET) or the body (POST). */
export async function runCalls(
  plan: CallPlan,
  rawInput: string | null,
  createContext: () => Promise<Context>,
  opts: { signal: AbortSignal; onError: (report: ErrorReport & { type: CallPlan["type"] }) => void },
): Promise<{ status: number; body: string }> {
  const inputs = new Inputs(rawInput, plan);
  let ctx: Context | undefined;
  let ctxError: TRPCError | undefined;
  try {
    ctx = await createContext();
  } catch (cause) {
    ctxError = getTRPCErrorFromUnknown(cause);
  }
  const report = (r: ErrorReport) => opts.onError({ ...r, type: plan.type });
  const shape = (error: TRPCError, path: string | undefined, input: unknown) =>
    getErrorShape({ config, ctx, error, input, path, type: plan.type });

  const outcomes = await Promise.all(
    plan.procs.map(async (proc, i): Promise<CallOutcome> => {
      const path = plan.paths[i] as string;
      try {
        if (ctxError) throw ctxError;
        const getRawInput = async () => inputs.read()[i];
        const data = await proc({ path, getRawInput, ctx, type: plan.type, signal: opts.signal, batchIndex: i });
        return [undefined, { data }];
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        report({ error, path, input: inputs.result(i), ctx });
        return [error, undefined];
      }
    }),
  );
  try {
    const checked = outcomes.map(([error, result]): CallOutcome => {
      if (error || !isDataStream(result.data)) return [error, result] as CallOutcome;
      const message = "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink";
      return [new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message }), undefined];
    });
    // tRPC throws (rather than answers) a non-batched stream-like result: reported, shaped without a path.
    const [single] = checked;
    if (!plan.isBatch && single?.[0] && !outcomes[0]?.[0]) throw single[0];
    const items = checked.map(([error, result], i) =>
      error ? { error: shape(error, plan.paths[i], inputs.result(i)) } : { result: { data: result.data } },
    );
    const status = getHTTPStatusCode(
      items,
      checked.map(([error]) => error),
    );
    const out = plan.isBatch ? items : items[0];
    return { status, body: JSON.stringify(transformTRPCResponse(config, out as (typeof items)[number])) };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    report({ error, path: undefined, input: undefined, ctx });
    const item = { error: shape(error, undefined, undefined) };
    return { status: getHTTPStatusCode(item, [error]), body: JSON.stringify(transformTRPCResponse(config, item)) };
  }
}

/** The calls' inputs, parsed once and only when a procedure asks (a call without input ignores a bad one). */
class Inputs {
  private parsed: Record<number, unknown> | undefined;
  private failure: TRPCError | undefined;

  constructor(
    private raw: string | null,
    private plan: CallPlan,
  ) {}

  read(): Record<number, unknown> {
    if (this.failure) throw this.failure;
    if (!this.parsed) {
      try {
        this.parsed = this.parse();
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : "Invalid input";
        this.failure = cause instanceof TRPCError ? cause : new TRPCError({ code: "BAD_REQUEST", message, cause });
        throw this.failure;
      }
    }
    return this.parsed;
  }

  result(index: number): unknown {
    return this.parsed?.[index];
  }

  private parse(): Record<number, unknown> {
    const out: Record<number, unknown> = Object.create(null);
    const inputs: unknown = this.raw ? JSON.parse(this.raw) : undefined;
    if (inputs === undefined) return out;
    const { deserialize } = config.transformer.input;
    if (!this.plan.isBatch) {
      out[0] = deserialize(inputs);
      return out;
    }
    if (!isObject(inputs)) {
      throw new TRPCError({ code: "BAD_REQUEST", message: '"input" needs to be an object when doing a batch call' });
    }
    for (const index of this.plan.paths.keys()) {
      const input = inputs[index];
      if (input !== undefined) out[index] = deserialize(input);
    }
    return out;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && !Array.isArray(v) && typeof v === "object";
}

const isAsyncIterable = (v: unknown) => isObject(v) && Symbol.asyncIterator in v;
const isPromise = (v: unknown) =>
  (isObject(v) || typeof v === "function") &&
  typeof (v as { then?: unknown }).then === "function" &&
  typeof (v as { catch?: unknown }).catch === "function";

/** Promises or async iterables need httpBatchStreamLink; plain JSON cannot carry them. */
function isDataStream(v: unknown): boolean {
  if (!isObject(v)) return false;
  if (isAsyncIterable(v)) return true;
  const values = Object.values(v);
  return values.some(isPromise) || values.some(isAsyncIterable);
}
