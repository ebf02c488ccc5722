import { getSettings, UpdateSettingsInput, updateSettings } from "@elsehu/core";
import { adminProcedure, router, staffProcedure } from "../trpc/init";

/** App settings changed from the console: staff read them, admins change them. */
export const settingsRouter = router({
  get: staffProcedure.query(({ ctx }) => getSettings(ctx.core)),

  update: adminProcedure
    .input(UpdateSettingsInput)
    .mutation(({ ctx, input }) => updateSettings(ctx.core, ctx.user, input)),
});
