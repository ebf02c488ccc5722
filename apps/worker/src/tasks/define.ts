import type { CoreContext } from "@elsehu/core";
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
      const parsed = schema.safeParse(raw ?? {});
      if (!parsed.success) {
        deps.core.log.error({ task: identifier, jobId: helpers.job.id, issues: parsed.error.issues }, "bad payload");
        return;
      }
      await run(parsed.data, deps, helpers);
    },
  };
}
