import { auditLog } from "@elsehu/db";
import type { Tx } from "../shared/context";

export type AuditInput = {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  data?: Record<string, unknown>;
  /** The public API token the change was made with (`actorId` is its owner). */
  apiTokenId?: string | null;
};

/** Appends to the audit log; secrets must never be passed in `data`. */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: input.actorId,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    data: input.data ?? {},
    apiTokenId: input.apiTokenId ?? null,
  });
}
