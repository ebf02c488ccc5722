import { loadInstance } from "../instances/list-instances";
import { addJob } from "../jobs/add-job";
import type { CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";

/** "Sincronizar com a Meta": queues the template sync of one Meta number (it needs its WABA id). */
export async function requestTemplateSync(ctx: CoreContext, instanceId: string) {
  const instance = await loadInstance(ctx, instanceId);
  if (instance.provider !== "META") {
    throw new DomainError("NOT_META", "Only Meta numbers have templates approved by Meta");
  }
  if (!instance.config.wabaId) {
    throw new DomainError("WABA_ID_MISSING", "config.wabaId: the number has no WhatsApp Business Account id", {
      field: "config.wabaId",
    });
  }
  await ctx.db.transaction((tx) =>
    addJob(tx, "templates/sync_meta", { instanceId }, { jobKey: `sync_meta:${instanceId}`, maxAttempts: 3 }),
  );
  return { queued: true };
}
