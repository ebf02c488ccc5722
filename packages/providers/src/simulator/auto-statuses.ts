import type { DeliveryStatus } from "../types";
import { metaStatusBody } from "./meta-sim-payloads";
import type { SimulatorState } from "./sim-state";
import type { SentMessage } from "./sim-types";
import { postEvolutionWebhook, postMetaWebhook } from "./webhook-poster";

const META_SEQUENCE: DeliveryStatus[] = ["sent", "delivered", "read"];
const EVOLUTION_SEQUENCE = ["SERVER_ACK", "DELIVERY_ACK", "READ"];

/**
 * After an accepted send, plays the receipts a real phone would produce, one after the
 * other (each waits for the previous POST), so a receiver sees them in order.
 * Evolution first echoes the message as send.message, as it does for API sends.
 */
export function scheduleStatuses(
  state: SimulatorState,
  sent: SentMessage,
  evolutionData?: Record<string, unknown>,
): void {
  if (!state.autoStatuses) return;
  const run = async (): Promise<void> => {
    if (sent.provider === "META") {
      // A reaction gets only its `sent` status (reaction-messages page).
      for (const status of sent.type === "reaction" ? META_SEQUENCE.slice(0, 1) : META_SEQUENCE) {
        if (!(await state.sleep(state.statusDelayMs))) return;
        await postMetaWebhook(state, metaStatusBody(state, sent, status));
      }
      return;
    }
    if (!(await state.sleep(state.statusDelayMs))) return;
    if (evolutionData) await postEvolutionWebhook(state, sent.channel, "send.message", evolutionData);
    const instance = state.instances.get(sent.channel);
    for (const status of EVOLUTION_SEQUENCE) {
      if (!(await state.sleep(state.statusDelayMs)) || !instance) return;
      await postEvolutionWebhook(state, sent.channel, "messages.update", {
        keyId: sent.providerMessageId,
        remoteJid: `${sent.to}@s.whatsapp.net`,
        fromMe: true,
        status,
        instanceId: instance.instanceId,
        messageId: `sim${sent.providerMessageId.toLowerCase()}`,
      });
    }
  };
  state.track(run());
}
