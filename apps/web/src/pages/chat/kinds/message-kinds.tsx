import type { Message } from "../../../lib/types";
import { type Card, ContactCards } from "./kind-contacts";
import { type Flow, FlowAnswers } from "./kind-flow";
import { type Loc, LocationCard } from "./kind-location";
import { MenuOptions } from "./kind-menu";
import { type Order, OrderCard } from "./kind-order";

const content = (m: Message) => (m.content ?? {}) as Record<string, unknown>;

/** Kinds shown as a line across the chat rather than a bubble: notices from WhatsApp. */
export function noticeOf(m: Message): string | null {
  const c = content(m);
  if (m.type === "system") return (c.system as { body?: string } | undefined)?.body || m.body || "Aviso do WhatsApp";
  if (m.type === "unsupported") return "Tipo de mensagem não suportado pelo WhatsApp";
  if (m.type === "edit") return "O cliente editou uma mensagem (o WhatsApp não enviou o novo texto)";
  return null;
}

/** A button or list answer whose text is the chosen title. */
export function isChoice(m: Message): boolean {
  const reply = content(m).reply as { title?: string } | undefined;
  return Boolean(reply?.title) && (!m.body || m.body === reply?.title);
}

/**
 * The text WhatsApp put in the body says nothing the kind's own rendering doesn't (a chosen
 * title, the cards' names, a flow's "Sent"): the bubble shows it once.
 */
export function kindOwnsBody(m: Message): boolean {
  const c = content(m);
  if (isChoice(m)) return true;
  const cards = c.contacts as Card[] | undefined;
  if (cards?.length && m.body === cards.map((card) => card.name).join(", ")) return true;
  const flow = c.flow as Flow | undefined;
  return Boolean(flow) && (!m.body || m.body === flow?.body || m.body === "Formulário enviado");
}

/** The structured part of a message, as a person expects to read it. */
export function KindContent({ message }: { message: Message }) {
  const c = content(message);
  const cards = c.contacts as Card[] | undefined;
  if (cards?.length) return <ContactCards messageId={message.id} cards={cards} />;
  const location = c.location as Loc | undefined;
  if (location) return <LocationCard location={location} />;
  const order = c.order as Order | undefined;
  if (order) return <OrderCard order={order} />;
  const flow = c.flow as Flow | undefined;
  if (flow) return <FlowAnswers flow={flow} />;
  const menu = c.interactive as Parameters<typeof MenuOptions>[0]["interactive"] | undefined;
  if (menu?.options) return <MenuOptions interactive={menu} />;
  const call = c.callPermission as { response: string } | undefined;
  if (call) {
    return (
      <div className="msg-kind">
        📞 {call.response === "accept" ? "Permitiu receber chamadas" : "Recusou receber chamadas"}
      </div>
    );
  }
  const reply = c.reply as { title: string } | undefined;
  if (reply && isChoice(message)) {
    return (
      <div className="msg-kind msg-choice">
        <span className="muted small">Escolheu a opção</span>
        <strong>☑ {reply.title}</strong>
      </div>
    );
  }
  if (reply) return <span className="msg-kind muted small">Resposta a um botão: {reply.title}</span>;
  if (message.type === "button" && message.body) {
    return <span className="msg-kind muted small">Tocou no botão</span>;
  }
  return null;
}
