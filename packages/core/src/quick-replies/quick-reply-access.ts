import { quickReplies } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { isStaff } from "../conversations/access";
import type { Actor, Tx } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";

export const notYours = () =>
  new DomainError("QUICK_REPLY_NOT_YOURS", "Only staff change shared quick replies; personal ones only their owner");
export const shortcutTaken = () =>
  new DomainError("QUICK_REPLY_SHORTCUT_TAKEN", "shortcut: already used", { field: "shortcut" });

/** FORBIDDEN unless `actor` may change `row`: shared ones are staff's, personal ones their owner's. */
export function assertMayEdit(actor: Actor, row: { ownerId: string | null }) {
  if (row.ownerId === null ? !isStaff(actor) : row.ownerId !== actor.id) throw notYours();
}

/** Loads and row-locks a quick reply `actor` may change. */
export async function lockEditable(tx: Tx, actor: Actor, id: string) {
  const [row] = await tx.select().from(quickReplies).where(eq(quickReplies.id, id)).for("update");
  if (!row) throw notFound("Quick reply");
  assertMayEdit(actor, row);
  return row;
}
