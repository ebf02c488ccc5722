import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";

/** The most messages one export holds; past it `truncated` says so (the newest are left out). */
export const EXPORT_MAX_MESSAGES = 50_000;

type Row = Record<string, unknown>;

/**
 * LGPD right of access (art. 18, II): everything held about one person, as
 * JSON: the contact, his provider identities, his conversations (with their
 * number, tabulation and notes), every message with its text, content,
 * reaction, edit history and media description, the list of his media files,
 * and his campaign memberships. Staff only (the router checks); recorded in
 * the audit log as `contact.export`. One repeatable-read snapshot.
 */
export async function exportContactData(ctx: Pick<CoreContext, "db" | "now">, actor: Actor, id: string) {
  return ctx.db.transaction(
    async (tx) => {
      const q = async (query: ReturnType<typeof sql>) => (await tx.execute<Row>(query)) as unknown as Row[];
      const [contact] = await q(sql`
        select id, phone, name, email, tags, custom_fields as "customFields", opted_out_at as "optedOutAt",
          erased_at as "erasedAt", created_at as "createdAt", updated_at as "updatedAt"
        from contacts where id = ${id}`);
      if (!contact) throw notFound("Contact");
      const identities = await q(sql`
        select provider, kind, external_id as "externalId" from contact_identities where contact_id = ${id} order by id`);
      const conversations = await q(sql`
        select c.id, c.protocol, c.status, c.tags, c.instance_id as "instanceId", i.name as "instanceName", i.provider,
          c.created_at as "createdAt", c.closed_at as "closedAt", t.name as "tabulation", c.close_note as "closeNote",
          c.referral
        from conversations c
        join service_instances i on i.id = c.instance_id
        left join tabulations t on t.id = c.tabulation_id
        where c.contact_id = ${id} order by c.created_at`);
      const messages = await q(sql`
        select m.id, m.conversation_id as "conversationId", m.direction, m.type, m.body, m.content, m.reaction,
          m.edit_history as "editHistory", m.status, m.created_at as "createdAt",
          case when m.media is null then null else jsonb_strip_nulls(jsonb_build_object(
            'mimeType', m.media->'mimeType', 'fileName', m.media->'fileName', 'size', m.media->'size',
            'caption', m.media->'caption', 'state', m.media->'state')) end as media
        from messages m join conversations c on c.id = m.conversation_id
        where c.contact_id = ${id}
        order by m.created_at, m.seq
        limit ${EXPORT_MAX_MESSAGES + 1}`);
      const truncated = messages.length > EXPORT_MAX_MESSAGES;
      if (truncated) messages.length = EXPORT_MAX_MESSAGES;
      const media = messages
        .filter((m) => m.media)
        .map((m) => ({ messageId: m.id, createdAt: m.createdAt, ...(m.media as Row) }));
      const campaigns = await q(sql`
        select r.campaign_id as "campaignId", c.name as "campaignName", r.phone, r.variables, r.status, r.reason,
          r.sent_at as "sentAt", r.delivered_at as "deliveredAt", r.read_at as "readAt", r.replied_at as "repliedAt"
        from campaign_recipients r join campaigns c on c.id = r.campaign_id
        where r.contact_id = ${id} order by r.id`);
      await recordAudit(tx, {
        actorId: actor.id,
        action: "contact.export",
        targetType: "contact",
        targetId: id,
        data: { conversations: conversations.length, messages: messages.length },
      });
      return {
        exportedAt: ctx.now(),
        contact,
        identities,
        conversations,
        messages,
        media,
        campaigns,
        truncated,
      };
    },
    { isolationLevel: "repeatable read" },
  );
}
