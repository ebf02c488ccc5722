import type { Context } from "hono";
import { scheduleStatuses } from "./auto-statuses";
import { evolutionMessageData } from "./evolution-sim-payloads";
import { evolutionKeyId } from "./ids";
import type { EvolutionInstance, SimulatorState } from "./sim-state";
import type { SentMessage } from "./sim-types";

type Json = Record<string, unknown>;

/**
 * Records an accepted send and answers 201 with the stored message, as Evolution does;
 * then plays send.message and the receipts. `chat` is the number or JID the message went to.
 */
export function acceptSend(
  c: Context,
  state: SimulatorState,
  instance: EvolutionInstance,
  body: Json,
  content: { type: string; message: Json; messageType: string; chat?: string },
): Response {
  const number = content.chat ?? String(body.number);
  const digits = number.includes("@") ? (number.split("@")[0] ?? number) : number.replace(/\D/g, "");
  const remoteJid = number.includes("@") ? number : `${digits}@s.whatsapp.net`;
  const id = evolutionKeyId();
  const quoted = body.quoted as { key?: { id?: string } } | undefined;
  const contextInfo = quoted?.key?.id
    ? { stanzaId: quoted.key.id, participant: remoteJid, quotedMessage: {} }
    : undefined;
  const data = evolutionMessageData(instance, {
    key: { remoteJid, fromMe: true, id },
    message: content.message,
    messageType: content.messageType,
    contextInfo,
    pushName: "Você",
    status: "PENDING",
    source: "web",
  });
  const sent: SentMessage = {
    provider: "EVOLUTION",
    providerMessageId: id,
    channel: instance.name,
    to: digits,
    type: content.type,
    request: body,
    at: new Date(),
  };
  state.sent.push(sent);
  scheduleStatuses(state, sent, data);
  return c.json(data, 201);
}
