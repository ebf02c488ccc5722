import { randomUUID } from "node:crypto";
import type { Actor, CoreContext } from "../shared/context";
import { encryptJson } from "../shared/crypto";
import { CreateInstanceInput, createInstance } from "./create-instance";
import { checkMetaNumber, setupEvolutionInstance } from "./provider-setup";
import { assertPublicProviderUrl } from "./provider-url";

/**
 * Adds a WhatsApp number from the console alone: the provider is called first, and
 * nothing is stored when it refuses. Meta: the number's details are read (a bad token
 * or phone number id is named). Evolution: the instance is created on the server if
 * missing and its webhook set to PUBLIC_URL. Then the number is stored with what the
 * provider said (`providerDetails`).
 */
export async function addInstance(ctx: CoreContext, actor: Actor, raw: CreateInstanceInput) {
  const input = CreateInstanceInput.parse(raw);
  await assertPublicProviderUrl(ctx, input.config.baseUrl, "config.baseUrl");
  const id = randomUUID();
  const row = {
    provider: input.provider,
    config: input.config as Record<string, string>,
    secrets: encryptJson(ctx.config.encryptionKey, input.secrets),
  };
  const providerDetails =
    input.provider === "META" ? await checkMetaNumber(ctx, row) : await setupEvolutionInstance(ctx, id, row);
  return createInstance(ctx, actor, input, { id, providerDetails });
}
