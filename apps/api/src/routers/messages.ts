import {
  AddNoteInput,
  addNote,
  DomainError,
  ListMessagesInput,
  listMessages,
  queueContactMessage,
  queueLocationMessage,
  queueMediaMessage,
  queueReaction,
  queueTemplateMessage,
  queueTextMessage,
  ReactInput,
  RefetchMediaInput,
  refetchMedia,
  SearchMessagesInput,
  SendContactInput,
  SendLocationInput,
  SendTemplateInput,
  SendTextInput,
  searchMessages,
} from "@elsehu/core";
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

  /**
   * Full-text search (Portuguese, accents ignored) in the messages of the conversations the caller may read,
   * newest first; each hit has a highlighted snippet and its conversation, to open it at the message.
   */
  search: userProcedure.input(SearchMessagesInput).query(({ ctx, input }) => searchMessages(ctx.core, ctx.user, input)),

  /**
   * An internal note in the timeline: the conversation's operator or staff write it, whoever may read
   * the conversation reads it; it is never sent to the customer.
   */
  addNote: userProcedure.input(AddNoteInput).mutation(({ ctx, input }) => addNote(ctx.core, ctx.user, input)),

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

  /** A map pin; same access rules and 24-hour window as `send`. */
  sendLocation: userProcedure
    .input(SendLocationInput)
    .mutation(async ({ ctx, input }) => shape(await queueLocationMessage(ctx.core, ctx.user, input))),

  /** Contact cards (1–10, each with 1–5 phones); same rules as `send`. */
  sendContact: userProcedure
    .input(SendContactInput)
    .mutation(async ({ ctx, input }) => shape(await queueContactMessage(ctx.core, ctx.user, input))),

  /** Reacts to a message with one emoji; "" removes the reaction. Same rules as `send`. */
  react: userProcedure
    .input(ReactInput)
    .mutation(async ({ ctx, input }) => shape(await queueReaction(ctx.core, ctx.user, input))),

  /**
   * multipart/form-data: conversationId, file, optional caption, replyToId and voice
   * ("true": an OGG/Opus audio sent as a voice note). A WebP image goes out as a sticker. Type and
   * size are checked against the provider's limits before anything is stored.
   */
  sendMedia: userProcedure.input(z.instanceof(FormData)).mutation(async ({ ctx, input }) => {
    const file = input.get("file");
    if (!(file instanceof File)) throw new DomainError("FILE_REQUIRED", "file: required", { field: "file" });
    const row = await queueMediaMessage(
      ctx.core,
      ctx.user,
      {
        conversationId: text(input, "conversationId") ?? "",
        caption: text(input, "caption"),
        replyToId: text(input, "replyToId"),
        voice: text(input, "voice") === "true",
        fileName: file.name || "file",
        mimeType: file.type || "application/octet-stream",
        size: file.size,
      },
      async () => new Uint8Array(await file.arrayBuffer()),
    );
    return shape(row);
  }),

  /** "Tentar de novo" on "mídia indisponível": staff or the assigned operator ask the provider again. */
  refetchMedia: userProcedure
    .input(RefetchMediaInput)
    .mutation(({ ctx, input }) => refetchMedia(ctx.core, ctx.user, input)),
});
