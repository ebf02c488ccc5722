import { z } from "zod";

/** Most personal quick replies per user, and shared ones in all. */
export const MAX_PERSONAL_QUICK_REPLIES = 200;
export const MAX_SHARED_QUICK_REPLIES = 500;

/** What follows the `/`: 1–30 lower-case letters, digits, `-` or `_`. */
export const Shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_-]{1,30}$/, "use 1–30 letters, digits, - or _");

export const QuickReplyFields = z.object({
  shortcut: Shortcut,
  /** The text; `{{nome}}`, `{{operador}}` and `{{protocolo}}` are filled in when it is used. */
  body: z.string().trim().min(1).max(4096),
});

export const CreateQuickReplyInput = QuickReplyFields.extend({
  /** Shared with everyone (staff only); otherwise the author's own. */
  shared: z.boolean().default(false),
});
export type CreateQuickReplyInput = z.input<typeof CreateQuickReplyInput>;

export const UpdateQuickReplyInput = QuickReplyFields.partial().extend({ id: z.string().uuid() });
export type UpdateQuickReplyInput = z.input<typeof UpdateQuickReplyInput>;

export const ListQuickRepliesInput = z.object({ search: z.string().trim().max(100).optional() }).default({});
export type ListQuickRepliesInput = z.input<typeof ListQuickRepliesInput>;
