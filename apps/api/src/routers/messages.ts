import {
  ListMessagesInput,
  listMessages,
  queueMediaMessage,
  queueTemplateMessage,
  queueTextMessage,
  SendTemplateInput,
  SendTextInput,
} from "@elsehu/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { router, userProcedure } from "../trpc/init";

/** What the console gets back for a queued message; its progress then arrives as `message.status` events. */
function shape(row: { id: string; conversationId: string; status: string; type: string; createdAt: Date }) {
  return {
    id: row.id,
    conversationId: row.conversationId,
    status: row.status,
    type: row.type,
    createdAt: row.createdAt,
  };
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" && value !== "" ? value : undefined;
};

export const messagesRouter = router({
  /** Newest first, cursor pagination; an operator reads his own conversations only. */
  list: userProcedure.input(ListMessagesInput).query(({ ctx, input }) => listMessages(ctx.core, ctx.user, input)),

  /** The assigned operator (or staff) sends text; refused outside Meta's 24-hour window. */
  send: userProcedure
    .input(SendTextInput)
    .mutation(async ({ ctx, input }) => shape(await queueTextMessage(ctx.core, ctx.user, input))),

  /**
   * An approved template with its variables filled: same access rules as `send`, and the
   * one message allowed outside Meta's 24-hour window. The chat shows the rendered text.
   */
  sendTemplate: userProcedure
    .input(SendTemplateInput)
    .mutation(async ({ ctx, input }) => shape(await queueTemplateMessage(ctx.core, ctx.user, input))),

  /**
   * multipart/form-data: conversationId, file, optional caption and replyToId. Type and
   * size are checked against the provider's limits before anything is stored.
   */
  sendMedia: userProcedure.input(z.instanceof(FormData)).mutation(async ({ ctx, input }) => {
    const file = input.get("file");
    if (!(file instanceof File)) throw new TRPCError({ code: "BAD_REQUEST", message: "file: required" });
    const row = await queueMediaMessage(
      ctx.core,
      ctx.user,
      {
        conversationId: text(input, "conversationId") ?? "",
        caption: text(input, "caption"),
        replyToId: text(input, "replyToId"),
        fileName: file.name || "file",
        mimeType: file.type || "application/octet-stream",
        size: file.size,
      },
      async () => new Uint8Array(await file.arrayBuffer()),
    );
    return shape(row);
  }),
});
