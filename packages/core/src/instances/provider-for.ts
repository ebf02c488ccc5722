import { EvolutionAdapter, MetaAdapter, type ProviderAdapter } from "@elsehu/providers";
import type { CoreContext } from "../shared/context";
import type { EvolutionSettings, MetaSettings } from "./instance-config";
import { type InstanceRow, instanceSecrets } from "./shape";

type Ctx = Pick<CoreContext, "config">;
/** The columns an adapter needs. */
export type AdapterRow = Pick<InstanceRow, "provider" | "config" | "secrets">;

/** The adapters' own default timeout. */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 15_000;

/** How long one provider call may take: the instance's `config.timeoutMs`, else PROVIDER_TIMEOUT_MS, else 15 s. */
export function instanceTimeoutMs(ctx: Ctx, row: Pick<InstanceRow, "config">): number {
  const own = Number(row.config.timeoutMs);
  if (Number.isFinite(own) && own > 0) return own;
  return ctx.config.providerTimeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
}

export function metaAdapterFor(ctx: Ctx, row: AdapterRow): MetaAdapter {
  const secrets = instanceSecrets(ctx.config.encryptionKey, row);
  const config = row.config as MetaSettings;
  return new MetaAdapter({
    phoneNumberId: config.phoneNumberId,
    wabaId: config.wabaId,
    graphVersion: config.graphVersion,
    baseUrl: config.baseUrl,
    accessToken: secrets.accessToken ?? "",
    appSecret: secrets.appSecret ?? "",
    timeoutMs: instanceTimeoutMs(ctx, row),
  });
}

export function evolutionAdapterFor(ctx: Ctx, row: AdapterRow): EvolutionAdapter {
  const secrets = instanceSecrets(ctx.config.encryptionKey, row);
  const config = row.config as EvolutionSettings;
  return new EvolutionAdapter({
    baseUrl: config.baseUrl,
    instanceName: config.instanceName,
    apiKey: secrets.apiKey ?? "",
    timeoutMs: instanceTimeoutMs(ctx, row),
  });
}

/** The adapter for an instance, built from its decrypted settings. */
export function providerFor(ctx: Ctx, row: AdapterRow): ProviderAdapter {
  return row.provider === "META" ? metaAdapterFor(ctx, row) : evolutionAdapterFor(ctx, row);
}
