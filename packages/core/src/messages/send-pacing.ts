import type { CoreContext } from "../shared/context";

/**
 * Reserves the next send slot of the number message `messageId` goes out on and returns how long
 * to wait for it (ms), or null when there is no such message.
 * GCRA on `service_instances.next_send_at`: each reservation pushes the instance's
 * next slot by 1/rate seconds, atomically in Postgres, so the pace holds across any
 * number of workers and uses the database clock only.
 */
export async function reserveSendSlotFor(ctx: Pick<CoreContext, "sql">, messageId: string): Promise<number | null> {
  const [row] = await ctx.sql<{ wait_ms: number }[]>`
    update service_instances
    set next_send_at = greatest(next_send_at, clock_timestamp()) + make_interval(secs => 1.0 / send_rate_per_second)
    where id = (select instance_id from messages where id = ${messageId})
    returning greatest(0, extract(epoch from (
      next_send_at - make_interval(secs => 1.0 / send_rate_per_second) - clock_timestamp())) * 1000)::float8 as wait_ms`;
  return row ? Number(row.wait_ms) : null;
}
