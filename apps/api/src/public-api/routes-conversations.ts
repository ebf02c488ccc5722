import {
  CloseConversationInput,
  closeConversation,
  getConversation,
  ListConversationsInput,
  ListMessagesInput,
  listConversations,
  listMessages,
  TransferConversationInput,
  transferConversation,
} from "@elsehu/core";
import { z } from "zod";
import { publicRouter, scoped } from "./init";
import { ConversationChange, ConversationOut, ConversationPage, MessagePage, plain } from "./schemas";

const read = scoped("conversations:read");
const write = scoped("conversations:write");
const tags = ["conversations"];

/** Query strings are text: typed fields coerce in these own schemas (the core ones are shared with tRPC). */
const Status = z.enum(["WAITING", "OPEN", "CLOSED", "EXPIRED"]);
const ListQuery = ListConversationsInput.extend({
  status: Status.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const MessagesQuery = ListMessagesInput.extend({
  conversationId: z.string().uuid(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const conversationsRoutes = publicRouter({
  list: read
    .meta({
      openapi: {
        method: "GET",
        path: "/conversations",
        tags,
        summary: "List conversations",
        description: "Newest first; `from`/`to` on creation time; `cursor` = the previous `nextCursor`.",
      },
    })
    .input(ListQuery)
    .output(ConversationPage)
    .query(async ({ ctx, input }) => plain(await listConversations(ctx.core, ctx.actor, input)) as never),

  get: read
    .meta({ openapi: { method: "GET", path: "/conversations/{id}", tags, summary: "Get a conversation" } })
    .input(z.object({ id: z.string().uuid() }))
    .output(ConversationOut)
    .query(async ({ ctx, input }) => plain(await getConversation(ctx.core, ctx.actor, input.id)) as never),

  messages: read
    .meta({
      openapi: {
        method: "GET",
        path: "/conversations/{conversationId}/messages",
        tags,
        summary: "A conversation's messages",
        description: "Newest first; `cursor` = the previous `nextCursor`.",
      },
    })
    .input(MessagesQuery)
    .output(MessagePage)
    .query(async ({ ctx, input }) => plain(await listMessages(ctx.core, ctx.actor, input)) as never),

  close: write
    .meta({
      openapi: {
        method: "POST",
        path: "/conversations/{id}/close",
        tags,
        summary: "Close with a tabulation",
      },
    })
    .input(CloseConversationInput)
    .output(ConversationChange)
    .mutation(async ({ ctx, input }) => {
      const after = await closeConversation(ctx.core, ctx.actor, input);
      return plain({
        id: after.id,
        status: after.status,
        tabulationId: after.tabulationId,
        closedAt: after.closedAt,
      }) as never;
    }),

  transfer: write
    .meta({
      openapi: {
        method: "POST",
        path: "/conversations/{id}/transfer",
        tags,
        summary: "Transfer to an operator, a department or the queue",
      },
    })
    .input(TransferConversationInput)
    .output(ConversationChange)
    .mutation(async ({ ctx, input }) => {
      const after = await transferConversation(ctx.core, ctx.actor, input);
      return { id: after.id, status: after.status, operatorId: after.operatorId };
    }),
});
