import {
  checkOneTarget,
  ONE_TARGET,
  queueMediaMessage,
  queueTemplateMessage,
  queueTextMessage,
  SendMediaInput,
  SendTargetFields,
  SendTemplateToInput,
  SendTextToInput,
} from "@elsehu/core";
import { z } from "zod";
import { idempotentSend } from "./idempotency";
import { publicRouter, scoped } from "./init";
import { QueuedMessageOut } from "./schemas";

const send = scoped("messages:send");
const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .max(255)
    .optional()
    .describe("Makes a retry safe: the same key within 24 h answers the first send's message, never a second one."),
});
const errors = {
  400: "Invalid input",
  401: "Bad token",
  403: "Scope missing or not allowed",
  409: "Idempotency-Key reused",
  412: "Outside the 24-hour window: send a template",
  429: "Rate limited",
};

/** The media send's body: the file inline, base64 (JSON only; the console's upload is multipart). */
const SendMediaJson = SendMediaInput.omit({ size: true, conversationId: true })
  .extend({
    ...SendTargetFields,
    data: z
      .base64()
      .max(150 * 1024 * 1024)
      .describe("The file, base64-encoded"),
  })
  .refine(checkOneTarget, ONE_TARGET);

export const messagesRoutes = publicRouter({
  sendText: send
    .meta({
      openapi: {
        method: "POST",
        path: "/messages/text",
        tags: ["messages"],
        summary: "Send a text",
        description:
          "To a conversation (`conversationId`) or a phone on a number (`to`). Meta numbers refuse text outside the 24-hour customer window (reason TEMPLATE_REQUIRED).",
        requestHeaders: IdempotencyHeader,
        errorResponses: errors,
      },
    })
    .input(SendTextToInput)
    .output(QueuedMessageOut)
    .mutation(({ ctx, input }) =>
      idempotentSend(ctx, "text", input, (within) => queueTextMessage(ctx.core, ctx.actor, input, { within })),
    ),

  sendTemplate: send
    .meta({
      openapi: {
        method: "POST",
        path: "/messages/template",
        tags: ["messages"],
        summary: "Send an approved template",
        description: "The one message allowed outside the 24-hour window; every variable filled by name.",
        requestHeaders: IdempotencyHeader,
        errorResponses: errors,
      },
    })
    .input(SendTemplateToInput)
    .output(QueuedMessageOut)
    .mutation(({ ctx, input }) =>
      idempotentSend(ctx, "template", input, (within) => queueTemplateMessage(ctx.core, ctx.actor, input, { within })),
    ),

  sendMedia: send
    .meta({
      openapi: {
        method: "POST",
        path: "/messages/media",
        tags: ["messages"],
        summary: "Send an image, audio, video or document",
        description: "Type and size are checked against the number's provider limits; same window rule as text.",
        requestHeaders: IdempotencyHeader,
        errorResponses: errors,
      },
    })
    .input(SendMediaJson)
    .output(QueuedMessageOut)
    .mutation(({ ctx, input }) => {
      const bytes = Buffer.from(input.data, "base64");
      const { data: _data, ...fields } = input;
      return idempotentSend(ctx, "media", input, (within) =>
        queueMediaMessage(ctx.core, ctx.actor, { ...fields, size: bytes.length }, async () => bytes, { within }),
      );
    }),
});
