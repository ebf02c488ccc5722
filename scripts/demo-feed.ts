import type { CoreContext } from "@elsehu/core";

type Line = { at: Date; text: string };

/**
 * What the demo prints (pt-BR) so a newcomer sees the flow in the terminal: every assignment and every reply
 * since the last look, oldest first. The customer's messages are printed where the demo injects them.
 */
export async function demoFeedSince(core: CoreContext, since: Date): Promise<Line[]> {
  const assigned = await core.sql<{ at: Date; contact: string | null; phone: string; operator: string }[]>`
    select c.assigned_at as at, ct.name as contact, ct.phone, u.name as operator
    from conversations c join contacts ct on ct.id = c.contact_id join users u on u.id = c.operator_id
    where c.assigned_at > ${since.toISOString()}::timestamptz order by c.assigned_at limit 100`;
  const replies = await core.sql<
    { at: Date; contact: string | null; phone: string; operator: string | null; body: string | null }[]
  >`
    select m.created_at as at, ct.name as contact, ct.phone, u.name as operator, m.body
    from messages m join conversations c on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id
    left join users u on u.id = c.operator_id
    where m.direction = 'OUT' and m.created_at > ${since.toISOString()}::timestamptz order by m.created_at limit 100`;
  return [
    ...assigned.map((a) => ({
      at: new Date(a.at),
      text: `Conversa de ${a.contact ?? a.phone} atribuída a ${a.operator}.`,
    })),
    ...replies.map((r) => ({
      at: new Date(r.at),
      text: `${r.operator ?? "Atendente"} respondeu a ${r.contact ?? r.phone}: “${(r.body ?? "[mídia]").slice(0, 80)}”`,
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
}
