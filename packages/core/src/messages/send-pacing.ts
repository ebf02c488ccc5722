import type { CoreContext } from "../shared/context";

/**
 * Reserves the next send slot of the number message `messageId` goes out on, when it is at most
 * `maxWaitMs` away, and says how long until that slot (ms); null when there is no such message.
 * GCRA on `service_instances.next_send_at`: each reservation pushes the number's next slot by
 * 1/rate seconds, atomically in Postgres, so the pace holds across any number of workers and uses
 * the database clock only. A slot too far away is not taken: a send that waits for a later turn
 * leaves the slots before it to the sends that can use them (a taken slot nobody sends in is lost
 * to the pace).
 */
export async function reserveSendSlotFor(
  ctx: Pick<CoreContext, "sql">,
  messageId: string,
  maxWaitMs: number,
): Promise<{ reserved: boolean; waitMs: number } | null> {
  // One plain UPDATE (its condition re-read on the latest row version when another send moved it first).
  const [taken] = await ctx.sql<{ wait_ms: number }[]>`
    update service_instances
    set next_send_at = greatest(next_send_at, clock_timestamp()) + make_interval(secs => 1.0 / send_rate_per_second)
    where id = (select instance_id from messages where id = ${messageId})
      and next_send_at <= clock_timestamp() + make_interval(secs => ${maxWaitMs}::float8 / 1000)
    returning greatest(0, extract(epoch from (
      next_send_at - make_interval(secs => 1.0 / send_rate_per_second) - clock_timestamp())) * 1000)::float8 as wait_ms`;
  if (taken) return { reserved: true, waitMs: Number(taken.wait_ms) };
  const [row] = await ctx.sql<{ wait_ms: number }[]>`
    select greatest(0, extract(epoch from (next_send_at - clock_timestamp())) * 1000)::float8 as wait_ms
    from service_instances where id = (select instance_id from messages where id = ${messageId})`;
  return row ? { reserved: false, waitMs: Number(row.wait_ms) } : null;
}
