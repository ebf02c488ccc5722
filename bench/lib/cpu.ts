import { readFileSync } from "node:fs";
import type { connect } from "@elsehu/db";

type Sql = ReturnType<typeof connect>["sql"];

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU used by the Postgres backends serving one database (same machine only):
 * `start()` notes each backend's clock, `stop()` sums what they used since,
 * counting backends that connected in between from zero.
 */
export function backendCpu(sql: Sql) {
  const pids = async () =>
    (await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database()`).map(
      (r) => r.pid,
    );
  let before = new Map<number, number>();
  return {
    async start() {
      before = new Map((await pids()).map((p) => [p, cpuSeconds(p)]));
    },
    async stop(): Promise<number> {
      let used = 0;
      for (const p of await pids()) used += cpuSeconds(p) - (before.get(p) ?? 0);
      return used;
    },
  };
}
