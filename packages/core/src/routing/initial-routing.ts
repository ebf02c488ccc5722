import { type InstanceRouting, serviceInstances } from "@elsehu/db";
import { eq } from "drizzle-orm";
import type { Tx } from "../shared/context";

/** A number's routing, read fresh (a change applies to the very next conversation), or null: the global queue. */
export async function routingOf(tx: Tx, instanceId: string): Promise<InstanceRouting | null> {
  const [row] = await tx
    .select({ routing: serviceInstances.routing })
    .from(serviceInstances)
    .where(eq(serviceInstances.id, instanceId));
  return row?.routing ?? null;
}

/** Where a new conversation starts: in a department, in the menu (no queue yet), or in the global queue. */
export function initialPlace(routing: InstanceRouting | null): {
  departmentId: string | null;
  routingState: "MENU" | null;
} {
  if (routing?.mode === "DEPARTMENT") return { departmentId: routing.departmentId, routingState: null };
  if (routing?.mode === "MENU") return { departmentId: null, routingState: "MENU" };
  return { departmentId: null, routingState: null };
}
