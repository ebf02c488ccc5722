import { z } from "zod";
import { normalizeKeyword } from "../campaigns/handle-opt-out";

/** Meta's list rows take 24 characters; reply buttons 20 (longer titles make the menu a list). */
export const MENU_TITLE_MAX = 24;
export const MENU_GREETING_MAX = 1024;

const MenuOption = z.object({
  title: z.string().trim().min(1, "title is required").max(MENU_TITLE_MAX),
  departmentId: z.string().uuid(),
});

/** A number's first-contact routing: the global queue, one department, or a menu of 2–10 departments. */
export const RoutingInput = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("GLOBAL") }),
  z.object({ mode: z.literal("DEPARTMENT"), departmentId: z.string().uuid() }),
  z.object({
    mode: z.literal("MENU"),
    greeting: z.string().trim().min(1, "greeting is required").max(MENU_GREETING_MAX),
    options: z
      .array(MenuOption)
      .min(2, "a menu has at least 2 options")
      .max(10, "a menu has at most 10 options")
      .refine((opts) => new Set(opts.map((o) => normalizeKeyword(o.title))).size === opts.length, {
        message: "option titles must differ",
      }),
    fallbackDepartmentId: z.string().uuid(),
    /** Minutes without an answer before the customer goes to the fallback department. */
    timeoutMinutes: z.number().int().min(1).max(1440),
  }),
]);
export type RoutingInput = z.infer<typeof RoutingInput>;

export const SetRoutingInput = z.object({ instanceId: z.string().uuid(), routing: RoutingInput });
export type SetRoutingInput = z.input<typeof SetRoutingInput>;
