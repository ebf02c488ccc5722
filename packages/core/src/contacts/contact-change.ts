import { recordAudit } from "../audit/record-audit";
import { publishEvent } from "../events/publish";
import type { Actor, Tx } from "../shared/context";

/** The names of the fields a caller set, for the audit log (values are personal data). */
export function fieldNames(input: object): string[] {
  return Object.entries(input)
    .filter(([k, v]) => k !== "id" && v !== undefined)
    .map(([k]) => k)
    .sort();
}

/** In the transaction that changed a contact: the event staff screens (and webhooks) follow, and the audit line. */
export async function recordContactChange(
  tx: Tx,
  actor: Actor,
  kind: "contact.created" | "contact.updated",
  contactId: string,
  input: object,
): Promise<void> {
  await publishEvent(tx, { kind, audience: { to: "STAFF" }, payload: { contactId } });
  await recordAudit(tx, {
    actorId: actor.id,
    action: kind === "contact.created" ? "contact.create" : "contact.update",
    targetType: "contact",
    targetId: contactId,
    data: { fields: fieldNames(input) },
  });
}
