import type { Sql } from "@elsehu/db";
import { SpanKind, trace } from "@opentelemetry/api";
import { failSpan, tracer } from "./spans";

/** What of a postgres.js Query this reads (it is a Promise whose `handle` runs it). */
type PgQuery = Promise<unknown> & {
  handle: () => Promise<void>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  strings: string | readonly string[];
  executed: boolean;
  cursorRows?: number;
};

const MAX_TEXT = 4096;

function isQuery(value: unknown): value is PgQuery {
  return value instanceof Promise && typeof (value as { handle?: unknown }).handle === "function";
}

/** The statement as written, placeholders for its values: never a parameter. */
function statementText(q: PgQuery): string {
  const text = typeof q.strings === "string" ? q.strings : q.strings.reduce((acc, s, i) => `${acc}$${i}${s}`);
  return text.trim().replace(/\s+/g, " ").slice(0, MAX_TEXT);
}

/**
 * A span per statement, from the moment postgres.js runs it (its first `then`) to its
 * answer. Only inside a trace: a statement with no active span (pollers, heartbeats)
 * would be a root trace of its own, noise at any sampling rate.
 */
function instrument<T>(value: T): T {
  if (!isQuery(value)) return value;
  const q = value;
  const handle = q.handle;
  q.handle = () => {
    if (!q.executed && q.cursorRows === undefined && trace.getActiveSpan()) {
      const text = statementText(q);
      const span = tracer().startSpan(`pg ${text.slice(0, text.indexOf(" ") >>> 0).toUpperCase()}`, {
        kind: SpanKind.CLIENT,
        attributes: { "db.system.name": "postgresql", "db.query.text": text },
      });
      const { resolve, reject } = q;
      q.resolve = (result) => {
        span.end();
        resolve(result);
      };
      q.reject = (err) => {
        failSpan(span, err);
        span.end();
        reject(err);
      };
    }
    return handle.call(q);
  };
  return q;
}

type Fn = (...args: unknown[]) => unknown;

/**
 * A postgres.js client whose statements make spans (postgres.js has no
 * instrumentation package). Wraps the client once, at connect, only while tracing is
 * on; transactions, savepoints and reserved connections it hands out are wrapped too,
 * so drizzle (built on it) and hand-written SQL are both covered.
 */
export function traceSql<S extends Sql>(sql: S): S {
  return new Proxy(sql, {
    apply: (target, self, args) => instrument(Reflect.apply(target, self, args)),
    get: (target, prop) => {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      const fn = value as Fn;
      if (prop === "unsafe" || prop === "file") return (...args: unknown[]) => instrument(fn(...args));
      if (prop === "begin" || prop === "savepoint") {
        return (...args: unknown[]) =>
          fn(...args.map((a) => (typeof a === "function" ? (tx: S) => (a as Fn)(traceSql(tx)) : a)));
      }
      if (prop === "reserve") return async () => traceSql((await fn()) as S);
      return value;
    },
  });
}
