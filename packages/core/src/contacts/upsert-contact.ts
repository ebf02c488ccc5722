import type { Actor, CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { CreateContactInput, createContact } from "./create-contact";
import { updateContact } from "./update-contact";

/**
 * Creates the contact of `phone`, or changes the given fields of the one that
 * already has it (in any format): the integrations' "upsert" (public API).
 * The same two verbs as the console's create and edit.
 */
export async function upsertContact(
  ctx: Pick<CoreContext, "db" | "now" | "config">,
  actor: Actor,
  raw: CreateContactInput,
) {
  const input = CreateContactInput.parse(raw);
  try {
    return { created: true, contact: await createContact(ctx, actor, input) };
  } catch (err) {
    const id = err instanceof DomainError && err.reason === "PHONE_TAKEN" ? err.details.contactId : undefined;
    if (typeof id !== "string") throw err;
    const { phone: _same, ...fields } = input;
    return { created: false, contact: await updateContact(ctx, actor, { id, ...fields }) };
  }
}
