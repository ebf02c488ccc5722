import {
  CloseConversationInput,
  closeConversation,
  getConversation,
  ListConversationsInput,
  listConversations,
  listQueue,
  listTransfers,
  markConversationRead,
  myConversations,
  QueueInput,
  ReopenConversationInput,
  reopenConversation,
  requestTyping,
  TagConversationInput,
  TransferConversationInput,
  tagConversation,
  transferConversation,
  unreadCounts,
} from "@elsehu/core";
import { z } from "zod";
import { router, staffProcedure, userProcedure } from "../trpc/init";

const ById = z.object({ id: z.string().uuid() });

/** Conversation reads and actions; isolation (an operator only touches his own) is enforced in core. */
export const conversationsRouter = router({
  list: userProcedure
    .input(ListConversationsInput)
    .query(({ ctx, input }) => listConversations(ctx.core, ctx.user, input)),

  get: userProcedure.input(ById).query(({ ctx, input }) => getConversation(ctx.core, ctx.user, input.id)),

  /** The queue's contents are for staff; everyone gets its size through `events.onQueue`. */
  queue: staffProcedure
    .input(QueueInput.default({ limit: 100 }))
    .query(({ ctx, input }) => listQueue(ctx.core, ctx.user, input)),

  mine: userProcedure.query(({ ctx }) => myConversations(ctx.core, ctx.user)),

  unreadCounts: userProcedure.query(({ ctx }) => unreadCounts(ctx.core, ctx.user)),

  /** Resets the unread count; when the conversation's operator reads it, the customer gets blue ticks. */
  markRead: userProcedure.input(ById).mutation(({ ctx, input }) => markConversationRead(ctx.core, ctx.user, input.id)),

  /** The operator is typing: the customer sees "typing…" (at most once per conversation every 5 s). */
  typing: userProcedure.input(ById).mutation(({ ctx, input }) => requestTyping(ctx.core, ctx.user, input.id)),

  /** Staff: assign/transfer to anyone (over capacity with `force`) or to the queue; operator: his own. */
  transfer: userProcedure.input(TransferConversationInput).mutation(async ({ ctx, input }) => {
    const after = await transferConversation(ctx.core, ctx.user, input);
    return { id: after.id, status: after.status, operatorId: after.operatorId };
  }),

  /** A conversation's hand-overs with their notes, for whoever may read it. */
  transfers: userProcedure.input(ById).query(({ ctx, input }) => listTransfers(ctx.core, ctx.user, input.id)),

  /** Adds/removes tags (bounded in number and length): the conversation's operator or staff. */
  tag: userProcedure
    .input(TagConversationInput)
    .mutation(({ ctx, input }) => tagConversation(ctx.core, ctx.user, input)),

  close: userProcedure.input(CloseConversationInput).mutation(async ({ ctx, input }) => {
    const after = await closeConversation(ctx.core, ctx.user, input);
    return { id: after.id, status: after.status, tabulationId: after.tabulationId, closedAt: after.closedAt };
  }),

  reopen: staffProcedure.input(ReopenConversationInput).mutation(async ({ ctx, input }) => {
    const after = await reopenConversation(ctx.core, ctx.user, input);
    return { id: after.id, status: after.status, operatorId: after.operatorId };
  }),
});
