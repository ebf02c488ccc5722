import type { MetaTemplateUpdate } from "@elsehu/providers";
import { sql } from "drizzle-orm";
import type { CoreContext } from "../shared/context";

/**
 * Applies Meta's template status and quality webhooks at once: the templates of every
 * number of that WhatsApp Business Account, matched by Meta id or by name + language.
 * A template that is not APPROVED any more cannot be picked from then on.
 */
export async function applyTemplateUpdates(ctx: Pick<CoreContext, "db" | "now">, updates: MetaTemplateUpdate[]) {
  const now = ctx.now().toISOString();
  for (const u of updates) {
    const match = sql`t.instance_id = i.id and i.provider = 'META' and i.config->>'wabaId' = ${u.wabaId}
      and (t.meta_template_id = ${u.templateId ?? null}
        or (t.meta_name = ${u.name ?? null} and replace(t.meta_language, '-', '_') = ${u.language ?? null}))`;
    if (u.status) {
      await ctx.db.execute(sql`update templates t set meta_status = ${u.status}, meta_status_reason = ${u.reason ?? null},
        updated_at = ${now}::timestamptz from service_instances i where ${match}`);
    }
    if (u.quality) {
      await ctx.db.execute(sql`update templates t set meta_quality = ${u.quality}, updated_at = ${now}::timestamptz
        from service_instances i where ${match}`);
    }
  }
}
