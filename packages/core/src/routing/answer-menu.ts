import { conversations } from "@elsehu/db";
import type { InboundMessage } from "@elsehu/providers";
import { eq } from "drizzle-orm";
import { queueAutomatic } from "../messages/queue-automatic";
import type { CoreContext, Tx } from "../shared/context";
import { routingOf } from "./initial-routing";
import { MENU_ID_PREFIX, matchChoice, menuMessage } from "./menu";
import { routeToDepartment } from "./route-to-department";

/**
 * A customer's message while his conversation waits in the menu: the option he
 * picked (button or list id, number, or title) sends him to its department; the
 * first unmatched answer repeats the menu, the second sends him to the number's
 * fallback department. The conversation row is locked, so two answers racing
 * are taken one after the other; a menu already answered is left alone.
 */
export async function answerMenu(
  ctx: Pick<CoreContext, "now" | "config">,
  tx: Tx,
  conversationId: string,
  provider: "META" | "EVOLUTION",
  event: Pick<InboundMessage, "body" | "reply">,
): Promise<void> {
  const [conv] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for("update");
  if (conv?.routingState !== "MENU" || conv.status !== "WAITING") return;
  const routing = await routingOf(tx, conv.instanceId);
  // The number no longer has a menu: the global queue, or its one department.
  if (routing?.mode !== "MENU") {
    const to = routing?.mode === "DEPARTMENT" ? routing.departmentId : null;
    await routeToDepartment(ctx, tx, conv.id, to, "fallback", provider);
    return;
  }
  const titles = routing.options.map((o) => o.title);
  const n = matchChoice({ replyId: event.reply?.id, text: event.body }, titles, MENU_ID_PREFIX);
  const option = n ? routing.options[n - 1] : undefined;
  if (option) {
    await routeToDepartment(ctx, tx, conv.id, option.departmentId, "answer", provider);
    return;
  }
  if (conv.routingAttempts < 1) {
    const now = ctx.now();
    await tx
      .update(conversations)
      .set({ routingAttempts: conv.routingAttempts + 1, routingAskedAt: now })
      .where(eq(conversations.id, conv.id));
    await queueAutomatic(
      tx,
      conv,
      provider,
      { kind: "menu", text: routing.greeting, interactive: menuMessage(routing) },
      now,
    );
    return;
  }
  await routeToDepartment(ctx, tx, conv.id, routing.fallbackDepartmentId, "fallback", provider);
}
