import { serviceInstances } from "@elsehu/db";
import { asc, eq } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";
import { type InstanceRow, publicInstance } from "./shape";

export async function listInstances(ctx: CoreContext) {
  const rows = await ctx.db.select().from(serviceInstances).orderBy(asc(serviceInstances.name));
  return rows.map((row) => publicInstance(ctx.config.encryptionKey, row));
}

/** The active numbers to pick from when starting a conversation: no config, no secrets. */
export async function instanceOptions(ctx: Pick<CoreContext, "db">) {
  return ctx.db
    .select({ id: serviceInstances.id, name: serviceInstances.name, provider: serviceInstances.provider })
    .from(serviceInstances)
    .where(eq(serviceInstances.active, true))
    .orderBy(asc(serviceInstances.name));
}

export async function loadInstance(ctx: Pick<CoreContext, "db">, id: string): Promise<InstanceRow> {
  const [row] = await ctx.db.select().from(serviceInstances).where(eq(serviceInstances.id, id));
  if (!row) throw notFound("Instance");
  return row;
}

export async function getInstance(ctx: CoreContext, id: string) {
  return publicInstance(ctx.config.encryptionKey, await loadInstance(ctx, id));
}
