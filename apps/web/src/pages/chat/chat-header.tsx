import type { ReactNode } from "react";
import { CONVERSATION_STATUS, formatPhone } from "../../lib/format";
import type { ChatConversation } from "./chat-view";
import { ConversationTags } from "./conversation-tags";
import { WindowBadge } from "./window-badge";

export const contactLabel = (c: { contact: { name: string | null; phone: string | null } }) =>
  c.contact.name || formatPhone(c.contact.phone) || "Contato sem nome";

/** The chat's header: contact, protocol, status, 24 h window, the ad it came from, tags and actions. */
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
  return (
    <header className="chat-header">
      <div className="chat-header-main">
        <h2 id={titleId}>{contactLabel(c)}</h2>
        <p className="muted small">
          {formatPhone(c.contact.phone)} · {CONVERSATION_STATUS[c.status]}
          {c.operatorName ? ` · ${c.operatorName}` : ""}
        </p>
        {c.protocol && (
          <p className="chat-protocol small">
            Protocolo <strong data-testid="protocol">{c.protocol}</strong>
          </p>
        )}
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
      {actions && <div className="chat-actions">{actions}</div>}
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
