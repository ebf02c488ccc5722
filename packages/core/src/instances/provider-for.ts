import { EvolutionAdapter, MetaAdapter, type ProviderAdapter } from "@elsehu/providers";
import type { CoreContext } from "../shared/context";
import type { EvolutionSettings, MetaSettings } from "./instance-config";
import { type InstanceRow, instanceSecrets } from "./shape";

type Ctx = Pick<CoreContext, "config">;

export function metaAdapterFor(ctx: Ctx, row: InstanceRow): MetaAdapter {
  const secrets = instanceSecrets(ctx.config.encryptionKey, row);
  const config = row.config as MetaSettings;
  return new MetaAdapter({
    phoneNumberId: config.phoneNumberId,
    wabaId: config.wabaId,
    graphVersion: config.graphVersion,
    baseUrl: config.baseUrl,
    accessToken: secrets.accessToken ?? "",
    appSecret: secrets.appSecret ?? "",
    timeoutMs: ctx.config.providerTimeoutMs,
  });
}

export function evolutionAdapterFor(ctx: Ctx, row: InstanceRow): EvolutionAdapter {
  const secrets = instanceSecrets(ctx.config.encryptionKey, row);
  const config = row.config as EvolutionSettings;
  return new EvolutionAdapter({
    baseUrl: config.baseUrl,
    instanceName: config.instanceName,
    apiKey: secrets.apiKey ?? "",
    timeoutMs: ctx.config.providerTimeoutMs,
  });
}

/** The adapter for an instance, built from its decrypted settings. */
export function providerFor(ctx: Ctx, row: InstanceRow): ProviderAdapter {
  return row.provider === "META" ? metaAdapterFor(ctx, row) : evolutionAdapterFor(ctx, row);
}
