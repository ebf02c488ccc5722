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
  const backends = async () =>
    await sql<{ pid: number; app: string }[]>`
      select pid, coalesce(nullif(application_name, ''), backend_type) as app
      from pg_stat_activity where datname = current_database()`;
  let before = new Map<number, number>();
  return {
    async start() {
      before = new Map((await backends()).map((b) => [b.pid, cpuSeconds(b.pid)]));
    },
    async stop(): Promise<number> {
      return Object.values(await this.stopByApp()).reduce((a, b) => a + b, 0);
    },
    /** What the backends used since start(), summed per application_name (backend type when unnamed). */
    async stopByApp(): Promise<Record<string, number>> {
      const used: Record<string, number> = {};
      for (const b of await backends()) used[b.app] = (used[b.app] ?? 0) + cpuSeconds(b.pid) - (before.get(b.pid) ?? 0);
      return used;
    },
  };
}
