import type { ReactNode } from "react";
import { CONVERSATION_STATUS, formatPhone } from "../../lib/format";
import { ChatActions } from "./chat-actions";
import type { ChatConversation } from "./chat-view";
import { ConversationTags } from "./conversation-tags";
import { WindowBadge } from "./window-badge";

export const contactLabel = (c: { contact: { name: string | null; phone: string | null } }) =>
  c.contact.name || formatPhone(c.contact.phone) || "Contato sem nome";

/**
 * The chat's header, compact so the messages keep the room: one line with the
 * contact, protocol, status and the actions (a menu where the chat is narrow),
 * and one strip, scrolled sideways when full, with the 24 h window, the ad it
 * came from and the tags.
 */
export function ChatHeader({
  conversation: c,
  titleId = "chat-title",
  now,
  tagsEditable,
  onTagsChanged,
  actions,
}: {
  conversation: ChatConversation;
  titleId?: string;
  now: number;
  tagsEditable: boolean;
  onTagsChanged: (tags: string[]) => void;
  actions?: ReactNode;
}) {
  const label = contactLabel(c);
  const phone = formatPhone(c.contact.phone);
  const status = [CONVERSATION_STATUS[c.status], c.operatorName, phone !== label && phone].filter(Boolean).join(" · ");
  return (
    <header className="chat-header">
      <div className="chat-header-line">
        <div className="chat-header-main">
          <h2 id={titleId} title={label}>
            {label}
          </h2>
          {/* Cut short on a narrow chat: the whole line shows on hover. */}
          <p className="chat-meta muted small" title={c.protocol ? `Protocolo ${c.protocol} · ${status}` : status}>
            {c.protocol && (
              <span className="chat-protocol">
                Protocolo <strong data-testid="protocol">{c.protocol}</strong> ·{" "}
              </span>
            )}
            {status}
          </p>
        </div>
        {actions && <ChatActions>{actions}</ChatActions>}
      </div>
      <div className="chat-header-strip">
        <WindowBadge lastInboundAt={c.lastInboundAt} now={now} />
        {c.referral && <ReferralLine referral={c.referral} />}
        <ConversationTags
          conversationId={c.id}
          tags={c.tags ?? []}
          contactTags={c.contact.tags ?? []}
          editable={tagsEditable}
          onChanged={onTagsChanged}
        />
      </div>
    </header>
  );
}

/** "Veio do anúncio …": the click-to-WhatsApp ad that started the conversation. */
function ReferralLine({ referral }: { referral: NonNullable<ChatConversation["referral"]> }) {
  const title = referral.headline || referral.body || referral.sourceId || "anúncio";
  return (
    <p className="chat-referral muted">
      📣 Veio do anúncio{" "}
      {referral.sourceUrl?.startsWith("https://") ? (
        <a href={referral.sourceUrl} target="_blank" rel="noreferrer">
          {title}
        </a>
      ) : (
        <strong>{title}</strong>
      )}
    </p>
  );
}
