import type { CoreContext } from "../shared/context";
import type { Outcome } from "./send-to-recipient";
import { iso } from "./sql-time";

/**
 * Writes the outcomes of one tick in a single statement. Only rows still SENDING
 * (or already declared UNKNOWN by an impatient sweep: the truth is better) change.
 * A requeued recipient also pushes the campaign's pacing cursor back by the
 * provider's retry-after, so a throttled provider is not hammered.
 */
export async function recordOutcomes(ctx: CoreContext, campaignId: string, outcomes: Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const now = ctx.now();
  const ids = outcomes.map((o) => o.id);
  const statuses = outcomes.map((o) => o.status);
  const pmids = outcomes.map((o) => (o.status === "SENT" ? o.providerMessageId : null));
  const codes = outcomes.map((o) => (o.status === "SENT" ? null : o.code));
  const reasons = outcomes.map((o) => (o.status === "SENT" ? null : o.reason));
  await ctx.sql`
    update campaign_recipients r set
      status = v.status::recipient_status,
      provider_message_id = coalesce(v.pmid, r.provider_message_id),
      error_code = v.code,
      reason = v.reason,
      sent_at = case when v.status = 'SENT' then ${iso(now)}::timestamptz else r.sent_at end
    from jsonb_to_recordset(${JSON.stringify(ids.map((id, i) => ({ id, status: statuses[i], pmid: pmids[i], code: codes[i], reason: reasons[i] })))}::jsonb)
      as v(id bigint, status text, pmid text, code text, reason text)
    where r.id = v.id and r.status in ('SENDING', 'UNKNOWN')`;
  const backoff = Math.max(0, ...outcomes.map((o) => (o.status === "PENDING" ? o.retryAfterMs : 0)));
  if (backoff > 0) {
    await ctx.sql`update campaigns set next_send_at = greatest(next_send_at, ${iso(new Date(now.getTime() + backoff))}::timestamptz)
      where id = ${campaignId}`;
  }
}
