import {
  attachToQuickReply,
  CreateQuickReplyInput,
  createQuickReply,
  DomainError,
  deleteQuickReply,
  detachFromQuickReply,
  ListQuickRepliesInput,
  listQuickReplies,
  SendQuickReplyInput,
  sendQuickReply,
  UpdateQuickReplyInput,
  updateQuickReply,
} from "@elsehu/core";
import { z } from "zod";
import { router, userProcedure } from "../trpc/init";

/**
 * Respostas rápidas. Everyone lists his own and the shared ones and manages his
 * own; shared ones are created and changed by staff only (enforced in core).
 */
export const quickRepliesRouter = router({
  list: userProcedure
    .input(ListQuickRepliesInput)
    .query(({ ctx, input }) => listQuickReplies(ctx.core, ctx.user, input)),

  create: userProcedure
    .input(CreateQuickReplyInput)
    .mutation(({ ctx, input }) => createQuickReply(ctx.core, ctx.user, input)),

  update: userProcedure
    .input(UpdateQuickReplyInput)
    .mutation(({ ctx, input }) => updateQuickReply(ctx.core, ctx.user, input)),

  remove: userProcedure
    .input(z.object({ id: z.string().uuid() }))
    .mutation(({ ctx, input }) => deleteQuickReply(ctx.core, ctx.user, input.id)),

  /**
   * multipart/form-data: id and file. Puts a file on a quick reply the caller may edit (replacing
   * its file); a type WhatsApp sends, within every provider's limit for its kind.
   */
  attach: userProcedure.input(z.instanceof(FormData)).mutation(({ ctx, input }) => {
    const file = input.get("file");
    if (!(file instanceof File)) throw new DomainError("FILE_REQUIRED", "file: required", { field: "file" });
    const id = input.get("id");
    const meta = {
      id: typeof id === "string" ? id : "",
      fileName: file.name || "arquivo",
      mimeType: file.type || "application/octet-stream",
      size: file.size,
    };
    return attachToQuickReply(ctx.core, ctx.user, meta, async () => new Uint8Array(await file.arrayBuffer()));
  }),

  /** Takes the file off a quick reply the caller may edit. */
  detach: userProcedure
    .input(z.object({ id: z.string().uuid() }))
    .mutation(({ ctx, input }) => detachFromQuickReply(ctx.core, ctx.user, input.id)),

  /**
   * Sends a quick reply with its file into a conversation, under the same rules as
   * `messages.send`/`sendMedia`: the text as caption when it fits, else text then file.
   */
  send: userProcedure.input(SendQuickReplyInput).mutation(async ({ ctx, input }) => {
    const rows = await sendQuickReply(ctx.core, ctx.user, input);
    return rows.map((r) => ({ id: r.id, conversationId: r.conversationId, type: r.type, status: r.status }));
  }),
});
