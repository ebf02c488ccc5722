import { serviceInstances, templates } from "@elsehu/db";
import type { MetaTemplate } from "@elsehu/providers";
import { and, eq, or } from "drizzle-orm";
import { metaAdapterFor } from "../instances/provider-for";
import type { CoreContext } from "../shared/context";
import { variablesInText } from "./template-variables";

type Row = typeof serviceInstances.$inferSelect;

/** The BODY text of a Meta template definition (`{{1}}` / `{{nome}}` placeholders). */
function bodyText(template: MetaTemplate): string {
  for (const c of template.components) {
    const component = c as { type?: unknown; text?: unknown };
    if (String(component.type).toUpperCase() === "BODY" && typeof component.text === "string") return component.text;
  }
  return template.name;
}

/** Send-time components: one text parameter per body variable, filled when the message is queued. */
function sendComponents(variables: string[]): unknown[] {
  if (variables.length === 0) return [];
  return [{ type: "body", parameters: variables.map((v) => ({ type: "text", text: `{{${v}}}` })) }];
}

async function syncOne(ctx: CoreContext, instance: Row): Promise<number> {
  const list = await metaAdapterFor(ctx, instance).listTemplates();
  const now = ctx.now();
  for (const t of list) {
    const meta = {
      metaTemplateId: t.id,
      metaStatus: t.status,
      metaCategory: t.category ?? null,
      metaQuality: t.quality ?? null,
      metaSyncedAt: now,
      updatedAt: now,
    };
    const [known] = await ctx.db
      .update(templates)
      .set(meta)
      .where(
        and(
          or(eq(templates.instanceId, instance.id), eq(templates.metaTemplateId, t.id)),
          or(
            eq(templates.metaTemplateId, t.id),
            and(eq(templates.metaName, t.name), eq(templates.metaLanguage, t.language)),
          ),
        ),
      )
      .returning({ id: templates.id });
    if (known) continue;
    const body = bodyText(t);
    const variables = variablesInText(body);
    await ctx.db
      .insert(templates)
      .values({
        ...meta,
        name: `${t.name} (${t.language}) · ${instance.name}`.slice(0, 120),
        body,
        variables,
        metaName: t.name,
        metaLanguage: t.language,
        metaComponents: sendComponents(variables),
        instanceId: instance.id,
      })
      .onConflictDoNothing();
  }
  return list.length;
}

/**
 * Brings the templates of each Meta number's WhatsApp Business Account in: new ones are
 * added for that number, known ones (by Meta id, or name + language) get Meta's status,
 * category and quality. Only APPROVED ones can be sent (templateProblem). A number whose
 * sync fails is logged and the others still sync; the failure is thrown at the end so
 * the job retries.
 */
export async function syncMetaTemplates(ctx: CoreContext, instanceId?: string): Promise<number> {
  const rows = await ctx.db
    .select()
    .from(serviceInstances)
    .where(
      and(
        eq(serviceInstances.provider, "META"),
        eq(serviceInstances.active, true),
        instanceId ? eq(serviceInstances.id, instanceId) : undefined,
      ),
    );
  let synced = 0;
  let failure: unknown;
  for (const row of rows) {
    if (!row.config.wabaId) continue;
    try {
      synced += await syncOne(ctx, row);
    } catch (err) {
      ctx.log.warn(
        { instanceId: row.id, err: err instanceof Error ? err.message : String(err) },
        "template sync failed",
      );
      failure = err;
    }
  }
  if (failure) throw failure;
  return synced;
}
