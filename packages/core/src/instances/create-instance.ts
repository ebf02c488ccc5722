import { serviceInstances } from "@elsehu/db";
import { sendLimits } from "@elsehu/providers";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { encryptJson } from "../shared/crypto";
import { bug, DomainError } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { EvolutionSecrets, EvolutionSettings, MetaSecrets, MetaSettings } from "./instance-config";
import { assertPublicProviderUrl } from "./provider-url";
import { publicInstance } from "./shape";

const common = {
  name: z.string().trim().min(1).max(120),
  sendRatePerSecond: z.number().int().min(1).max(1000).optional(),
};

export const CreateInstanceInput = z.discriminatedUnion("provider", [
  z.object({ provider: z.literal("META"), ...common, config: MetaSettings, secrets: MetaSecrets }),
  z.object({ provider: z.literal("EVOLUTION"), ...common, config: EvolutionSettings, secrets: EvolutionSecrets }),
]);
export type CreateInstanceInput = z.input<typeof CreateInstanceInput>;

/** Adds a WhatsApp number. Secrets are encrypted with APP_ENCRYPTION_KEY before they touch the database. */
export async function createInstance(
  ctx: CoreContext,
  actor: Actor,
  raw: CreateInstanceInput,
  known: { id?: string; providerDetails?: Record<string, string> } = {},
) {
  const input = CreateInstanceInput.parse(raw);
  const config = Object.fromEntries(Object.entries(input.config).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  await assertPublicProviderUrl(ctx, input.config.baseUrl, "config.baseUrl");
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(serviceInstances)
        .values({
          id: known.id,
          providerDetails: known.providerDetails ?? null,
          name: input.name,
          provider: input.provider,
          config,
          secrets: encryptJson(ctx.config.encryptionKey, input.secrets),
          metaPhoneNumberId: input.provider === "META" ? input.config.phoneNumberId : null,
          connectionStatus: input.provider === "META" ? "open" : "close",
          sendRatePerSecond: input.sendRatePerSecond ?? sendLimits[input.provider].messagesPerSecond,
        })
        .returning();
      if (!row) throw bug("instance insert returned nothing");
      await recordAudit(tx, {
        actorId: actor.id,
        action: "instance.create",
        targetType: "service_instance",
        targetId: row.id,
        data: { name: row.name, provider: row.provider, config },
      });
      return publicInstance(ctx.config.encryptionKey, row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new DomainError("PHONE_NUMBER_ID_TAKEN", "Another instance already uses this phone number id", {
        field: "config.phoneNumberId",
      });
    }
    throw err;
  }
}
