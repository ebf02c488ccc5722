import { appSettings } from "@elsehu/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext, Tx } from "../shared/context";

/**
 * Settings an admin changes from the console (Administração → Configurações).
 * Deployment settings are environment variables; these live in `app_settings`,
 * one row per key, and a key without a row has its default.
 */
export const AppSettings = z.object({
  /**
   * on: the operator serving a customer may read that customer's past
   * conversations on the same number (read-only, without other operators'
   * close notes). off: an operator reads only his own conversations.
   */
  customerHistory: z.enum(["on", "off"]),
  /** on: operators may start conversations (Atendimentos › Nova conversa); off: only staff may. */
  operatorsStartConversations: z.enum(["on", "off"]),
});
export type AppSettings = z.infer<typeof AppSettings>;

export const DEFAULT_SETTINGS: AppSettings = { customerHistory: "on", operatorsStartConversations: "on" };

export const UpdateSettingsInput = AppSettings.partial().strict();
export type UpdateSettingsInput = z.input<typeof UpdateSettingsInput>;

/** The current settings, defaults filled in. */
export async function getSettings(ctx: { db: Tx }): Promise<AppSettings> {
  const rows = await ctx.db.select({ key: appSettings.key, value: appSettings.value }).from(appSettings);
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  // A value written by another version that no longer parses falls back to its default.
  const parsed = AppSettings.partial().safeParse(stored);
  return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

/** Changes the given settings (admins), audited with their old and new values. */
export async function updateSettings(ctx: CoreContext, actor: Actor, raw: UpdateSettingsInput): Promise<AppSettings> {
  const input = UpdateSettingsInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const before = await getSettings({ db: tx });
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      await tx
        .insert(appSettings)
        .values({ key, value, updatedAt: ctx.now(), updatedById: actor.id })
        .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: ctx.now(), updatedById: actor.id } });
    }
    const after = { ...before, ...input } as AppSettings;
    await recordAudit(tx, {
      actorId: actor.id,
      action: "settings.update",
      targetType: "app_settings",
      data: { before, after },
    });
    return after;
  });
}
