import { useState } from "react";
import { useApi } from "../../../auth/session";
import { errorMessage } from "../../../lib/errors";
import { formatPhone } from "../../../lib/format";
import { useToast } from "../../../ui/toast";

export type Card = {
  name: string;
  phones: Array<{ phone: string; waId?: string }>;
  emails?: string[];
  company?: string;
};

/** Shared contact cards: name, company, phones and e-mails, each card with "Salvar contato". */
export function ContactCards({ messageId, cards }: { messageId: string; cards: Card[] }) {
  const api = useApi();
  const toast = useToast();
  const [busy, setBusy] = useState<number | null>(null);
  const save = async (index: number) => {
    setBusy(index);
    try {
      const r = await api.contacts.saveShared.mutate({ messageId, index });
      toast(r.created ? "Contato salvo" : "Contato atualizado");
    } catch (err) {
      toast(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <ul className="msg-kind msg-cards" aria-label="Contatos compartilhados">
      {cards.map((card, i) => (
        // A shared card list is fixed once received: its position is its identity (saveShared takes it).
        // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders
        <li key={i} className="msg-card">
          <strong>👤 {card.name}</strong>
          {card.company && <span className="muted small">{card.company}</span>}
          {card.phones.map((p) => (
            <span key={p.phone} className="msg-card-phone">
              {formatPhone(p.phone) || p.phone}
            </span>
          ))}
          {card.emails?.map((e) => (
            <span key={e} className="muted small">
              {e}
            </span>
          ))}
          {card.phones.length > 0 && (
            <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void save(i)}>
              Salvar contato
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
