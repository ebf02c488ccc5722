import type { CoreContext } from "../shared/context";

export const PROCESS_WEBHOOK_JOB = "messages/process_webhook";

/**
 * Stores a raw webhook body and its processing job in ONE statement (hence one
 * transaction): once the caller answers 200, the event survives any crash and
 * will be processed. Returns the webhook_events id.
 */
export async function storeWebhook(
  ctx: Pick<CoreContext, "sql">,
  input: { instanceId: string; provider: "META" | "EVOLUTION"; body: string },
): Promise<number> {
  const [row] = await ctx.sql<{ id: string }[]>`
    with e as (
      insert into webhook_events (instance_id, provider, body)
      values (${input.instanceId}, ${input.provider}, ${input.body})
      returning id
    )
    select e.id, graphile_worker.add_job(${PROCESS_WEBHOOK_JOB}, json_build_object('webhookEventId', e.id),
      max_attempts => 10) as job
    from e`;
  if (!row) throw new Error("webhook insert returned nothing");
  return Number(row.id);
}
