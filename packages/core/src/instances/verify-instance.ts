import { serviceInstances } from "@elsehu/db";
import { eq } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { loadInstance } from "./list-instances";
import { checkMetaNumber, setupEvolutionInstance } from "./provider-setup";
import { publicInstance } from "./shape";

/**
 * Checks a saved number again (after its token or server changed, or to refresh the
 * quality rating): Meta details re-read, Evolution instance and webhook ensured.
 * A refusal is named like on creation and changes nothing.
 */
export async function verifyInstance(ctx: CoreContext, id: string) {
  const row = await loadInstance(ctx, id);
  const providerDetails =
    row.provider === "META" ? await checkMetaNumber(ctx, row) : await setupEvolutionInstance(ctx, row.id, row);
  const [after] = await ctx.db
    .update(serviceInstances)
    .set({ providerDetails, updatedAt: ctx.now() })
    .where(eq(serviceInstances.id, id))
    .returning();
  return publicInstance(ctx.config.encryptionKey, after ?? row);
}
