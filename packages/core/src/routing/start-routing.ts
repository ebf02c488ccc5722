import type { InstanceRouting } from "@elsehu/db";
import type { ConversationRow } from "../conversations/find-or-open";
import { queueAutomatic } from "../messages/queue-automatic";
import type { CoreContext, Tx } from "../shared/context";
import { arriveInDepartment } from "./arrive-in-department";
import { menuMessage } from "./menu";

/**
 * Right after a customer's first message opened `conv` (placed by the number's
 * routing): a conversation in the menu gets the menu; one sent straight to a
 * department meets its hours (arriveInDepartment).
 */
export async function startRouting(
  ctx: Pick<CoreContext, "now" | "config">,
  tx: Tx,
  conv: ConversationRow,
  provider: "META" | "EVOLUTION",
  /** The routing that placed `conv`, as read in this transaction. */
  routing: InstanceRouting | null,
): Promise<void> {
  if (conv.routingState === "MENU") {
    if (routing?.mode !== "MENU") return;
    await queueAutomatic(
      tx,
      conv,
      provider,
      { kind: "menu", text: routing.greeting, interactive: menuMessage(routing) },
      ctx.now(),
    );
    return;
  }
  if (conv.departmentId) await arriveInDepartment(ctx, tx, conv, provider);
}
