import type { ProviderAdapter } from "@elsehu/providers";
import { loadInstance } from "../instances/list-instances";
import { instanceTimeoutMs, providerFor } from "../instances/provider-for";
import type { InstanceRow } from "../instances/shape";
import type { CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";

/** The columns the dispatcher loads for an instance. */
export type InstanceSettingsRow = Pick<
  InstanceRow,
  "id" | "name" | "provider" | "config" | "secrets" | "sendRatePerSecond"
>;

/** A SENDING recipient older than this plus a margin had its provider call end (or its worker die). */
export function providerTimeoutMs(ctx: Pick<CoreContext, "config">, row: Pick<InstanceRow, "config">): number {
  return instanceTimeoutMs(ctx, row);
}

/** The instance's adapter (shared with the message pipeline); unreadable credentials name the instance only. */
export function providerFromRow(ctx: Pick<CoreContext, "config">, row: InstanceSettingsRow): ProviderAdapter {
  try {
    return providerFor(ctx, row);
  } catch {
    // Never echo the blob or the key.
    throw new DomainError("INSTANCE_CREDENTIALS_UNREADABLE", `Credenciais da instância "${row.name}" ilegíveis`, {
      instanceId: row.id,
      instance: row.name,
    });
  }
}

export async function providerForInstance(ctx: CoreContext, instanceId: string): Promise<ProviderAdapter> {
  return providerFromRow(ctx, await loadInstance(ctx, instanceId));
}
