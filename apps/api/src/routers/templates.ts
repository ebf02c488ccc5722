import {
  CreateTemplateInput,
  createTemplate,
  deleteTemplate,
  getTemplate,
  ListTemplatesInput,
  listTemplates,
  PreviewTemplateInput,
  previewTemplate,
  requestTemplateSync,
  UpdateTemplateInput,
  updateTemplate,
} from "@elsehu/core";
import { z } from "zod";
import { adminProcedure, router, userProcedure } from "../trpc/init";

const ById = z.object({ id: z.string().uuid() });

/** Message templates: admins write, every signed-in user reads and previews. */
export const templatesRouter = router({
  list: userProcedure.input(ListTemplatesInput).query(({ ctx, input }) => listTemplates(ctx.core, input)),
  get: userProcedure.input(ById).query(({ ctx, input }) => getTemplate(ctx.core, input.id)),
  preview: userProcedure.input(PreviewTemplateInput).query(({ ctx, input }) => previewTemplate(ctx.core, input)),
  create: adminProcedure
    .input(CreateTemplateInput)
    .mutation(({ ctx, input }) => createTemplate(ctx.core, ctx.user, input)),
  update: adminProcedure
    .input(UpdateTemplateInput)
    .mutation(({ ctx, input }) => updateTemplate(ctx.core, ctx.user, input)),
  /** Pulls the number's templates from its WhatsApp Business Account (a worker job; also hourly). */
  syncFromMeta: adminProcedure
    .input(z.object({ instanceId: z.string().uuid() }))
    .mutation(({ ctx, input }) => requestTemplateSync(ctx.core, input.instanceId)),
  delete: adminProcedure.input(ById).mutation(async ({ ctx, input }) => {
    await deleteTemplate(ctx.core, ctx.user, input.id);
    return { ok: true };
  }),
});
