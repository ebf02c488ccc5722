import { type CoreContext, type JobName, JobPayloadError, type ParsedJobPayload, parseJobPayload } from "@elsehu/core";
import type { JobHelpers, Task } from "graphile-worker";

export type TaskDeps = { core: CoreContext };

export type TaskDef<N extends JobName = JobName> = {
  identifier: N;
  build: (deps: TaskDeps) => Task;
};

/**
 * A task of the job catalog (core `jobs/catalog.ts`): its payload is parsed with the
 * catalog's schema when it runs, so `run` gets the type `addJob` was given. Jobs outlive
 * code versions: a payload that no longer parses is logged at error level with the job's
 * name and failing fields, then dropped (retrying could never make it parse).
 */
export function defineTask<N extends JobName>(
  name: N,
  run: (payload: ParsedJobPayload<N>, deps: TaskDeps, helpers: JobHelpers) => Promise<void>,
): TaskDef<N> {
  return {
    identifier: name,
    build: (deps) => async (raw, helpers) => {
      let payload: ParsedJobPayload<N>;
      try {
        payload = parseJobPayload(name, raw);
      } catch (err) {
        if (!(err instanceof JobPayloadError)) throw err;
        deps.core.log.error({ task: name, jobId: helpers.job.id, issues: err.issues }, err.message);
        return;
      }
      await run(payload, deps, helpers);
    },
  };
}
