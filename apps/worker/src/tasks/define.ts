import { type CoreContext, SpanKind, tracingOn, withSpanIn } from "@elsehu/core";
import type { JobHelpers, Task } from "graphile-worker";
import type { z } from "zod";

export type TaskDeps = { core: CoreContext };

export type TaskDef = {
  identifier: string;
  build: (deps: TaskDeps) => Task;
};

/**
 * A task whose payload is parsed with zod when it runs: jobs outlive code
 * versions, so a payload that no longer parses is logged and dropped instead of
 * failing forever.
 */
export function defineTask<S extends z.ZodType>(
  identifier: string,
  schema: S,
  run: (payload: z.infer<S>, deps: TaskDeps, helpers: JobHelpers) => Promise<void>,
): TaskDef {
  return {
    identifier,
    build: (deps) => async (raw, helpers) => {
      const go = async () => {
        const parsed = schema.safeParse(raw ?? {});
        if (!parsed.success) {
          deps.core.log.error({ task: identifier, jobId: helpers.job.id, issues: parsed.error.issues }, "bad payload");
          return;
        }
        await run(parsed.data, deps, helpers);
      };
      if (!tracingOn()) return go();
      // The run joins the trace of whoever queued the job (`_trace`, added by core's addJob).
      await withSpanIn(jobTrace(raw), `job run ${identifier}`, go, {
        kind: SpanKind.CONSUMER,
        attributes: { "elsehu.job.id": helpers.job.id, "elsehu.job.attempt": helpers.job.attempts },
      });
    },
  };
}

function jobTrace(raw: unknown): string | null {
  const trace = typeof raw === "object" && raw !== null ? (raw as { _trace?: unknown })._trace : undefined;
  return typeof trace === "string" ? trace : null;
}
