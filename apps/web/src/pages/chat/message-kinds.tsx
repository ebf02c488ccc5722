import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { Message } from "../../lib/types";
import { useToast } from "../../ui/toast";

type Card = { name: string; phones: Array<{ phone: string; waId?: string }>; emails?: string[]; company?: string };
type OrderItem = { productId: string; quantity: number; price: number; currency: string };
type Loc = { latitude: number; longitude: number; name?: string; address?: string };
type Flow = { body?: string; fields: Record<string, string> };

const content = (m: Message) => (m.content ?? {}) as Record<string, unknown>;
const money = (value: number, currency: string) => {
  try {
    return new Intl.NumberFormat("pt-BR", { style: "currency", currency }).format(value);
  } catch {
    return `${currency} ${value.toFixed(2)}`;
  }
};

/** Kinds shown as a line across the chat rather than a bubble: notices from WhatsApp. */
export function noticeOf(m: Message): string | null {
  const c = content(m);
  if (m.type === "system") return (c.system as { body?: string } | undefined)?.body || m.body || "Aviso do WhatsApp";
  if (m.type === "unsupported") return "Tipo de mensagem não suportado pelo WhatsApp";
  if (m.type === "edit") return "O cliente editou uma mensagem (o WhatsApp não enviou o novo texto)";
  return null;
}

/** The structured part of a message, as a person expects to read it. */
export function KindContent({ message }: { message: Message }) {
  const c = content(message);
  const cards = c.contacts as Card[] | undefined;
  if (cards?.length) return <ContactCards messageId={message.id} cards={cards} />;
  const location = c.location as Loc | undefined;
  if (location) {
    const href = `https://www.google.com/maps?q=${location.latitude},${location.longitude}`;
    return (
      <div className="msg-kind msg-location">
        <a href={href} target="_blank" rel="noreferrer">
          📍 {location.name || "Ver no mapa"}
        </a>
        {location.address && <span className="muted small">{location.address}</span>}
      </div>
    );
  }
  const order = c.order as { text?: string; items: OrderItem[] } | undefined;
  if (order) {
    const currency = order.items[0]?.currency ?? "BRL";
    const total = order.items.reduce((sum, i) => sum + i.quantity * i.price, 0);
    return (
      <div className="msg-kind msg-order">
        <strong>Pedido</strong>
        <ul>
          {order.items.map((i) => (
            <li key={i.productId}>
              {i.quantity} × {i.productId} — {money(i.price, i.currency)}
            </li>
          ))}
        </ul>
        <span>
          Total: <strong>{money(total, currency)}</strong>
        </span>
      </div>
    );
  }
  const flow = c.flow as Flow | undefined;
  if (flow) {
    return (
      <div className="msg-kind msg-flow">
        <strong>Respostas do formulário</strong>
        <dl>
          {Object.entries(flow.fields).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </div>
    );
  }
  const call = c.callPermission as { response: string } | undefined;
  if (call) {
    return (
      <div className="msg-kind">
        📞 {call.response === "accept" ? "Permitiu receber chamadas" : "Recusou receber chamadas"}
      </div>
    );
  }
  const reply = c.reply as { title: string } | undefined;
  if (reply && !message.body) return <div className="msg-kind">Escolheu: {reply.title}</div>;
  if (reply) return <span className="msg-kind muted small">Resposta a um botão</span>;
  return null;
}

/** Shared contact cards, each with "Salvar contato". */
function ContactCards({ messageId, cards }: { messageId: string; cards: Card[] }) {
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
    <ul className="msg-kind msg-cards">
      {cards.map((card, i) => (
        // A shared card list is fixed once received: its position is its identity (saveShared takes it).
        // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders
        <li key={i} className="msg-card">
          <strong>👤 {card.name}</strong>
          {card.company && <span className="muted small">{card.company}</span>}
          {card.phones.map((p) => (
            <span key={p.phone}>{p.phone}</span>
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

/** A customer's media not downloaded (yet): pending, unavailable (ask again) or expired. */
export function MediaState({ message }: { message: Message }) {
  const api = useApi();
  const toast = useToast();
  const [asked, setAsked] = useState(false);
  const state = message.media?.state;
  if (state === "pending" || asked) return <span className="msg-media muted">Carregando mídia…</span>;
  if (state === "expired") {
    return <span className="msg-media muted">Mídia expirada: o WhatsApp só a guarda por 30 dias</span>;
  }
  if (state !== "failed") return null;
  const retry = async () => {
    setAsked(true);
    try {
      await api.messages.refetchMedia.mutate({ messageId: message.id });
    } catch (err) {
      setAsked(false);
      toast(errorMessage(err));
    }
  };
  return (
    <span className="msg-media msg-media-failed">
      Mídia indisponível{" "}
      <button type="button" className="btn btn-ghost btn-small" onClick={() => void retry()}>
        Tentar de novo
      </button>
    </span>
  );
}
