import { serviceInstances } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { encryptJson } from "../shared/crypto";
import { DomainError, notFound } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { EvolutionSecrets, EvolutionSettings, MetaSecrets, MetaSettings } from "./instance-config";
import { assertPublicProviderUrl, HOST_BOUND_SECRET, providerHost } from "./provider-url";
import { instanceSecrets, publicInstance } from "./shape";

export const UpdateInstanceInput = z.object({
  id: z.string().uuid(),
  name: z.string().trim().min(1).max(120).optional(),
  sendRatePerSecond: z.number().int().min(1).max(1000).optional(),
  active: z.boolean().optional(),
  /** Partial: fields left out keep their value. */
  config: z.record(z.string(), z.string()).optional(),
  /** Partial: only the secrets given are replaced; the others are kept. */
  secrets: z.record(z.string(), z.string()).optional(),
});
export type UpdateInstanceInput = z.input<typeof UpdateInstanceInput>;

function invalid(error: z.ZodError, prefix: string): DomainError {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].join(".");
  return new DomainError("INVALID_INPUT", `${field}: ${issue?.message ?? "invalid"}`, { field });
}

/**
 * A provider credential goes to the base URL's host with every call: moving a
 * number to another host without entering it again would hand the old secret
 * to whoever runs the new host.
 */
function assertSecretsFollowHost(
  before: { provider: string; config: Record<string, unknown> },
  after: Record<string, unknown>,
  secrets: Record<string, string> | undefined,
) {
  if (providerHost(before.provider, before.config) === providerHost(before.provider, after)) return;
  const needed = HOST_BOUND_SECRET[before.provider];
  if (needed && secrets?.[needed] === undefined) {
    throw new DomainError(
      "SECRETS_REQUIRED_FOR_NEW_HOST",
      `secrets.${needed}: changing the base URL's host requires entering ${needed} again`,
      { field: `secrets.${needed}`, reason: "SECRETS_REQUIRED_FOR_NEW_HOST" },
    );
  }
}

/** Edits an instance; the merged settings are validated against the provider's schema as a whole. */
export async function updateInstance(ctx: CoreContext, actor: Actor, raw: UpdateInstanceInput) {
  const input = UpdateInstanceInput.parse(raw);
  const key = ctx.config.encryptionKey;
  await assertPublicProviderUrl(ctx, input.config?.baseUrl, "config.baseUrl");
  try {
    return await ctx.db.transaction(async (tx) => {
      const [before] = await tx.select().from(serviceInstances).where(eq(serviceInstances.id, input.id)).for("update");
      if (!before) throw notFound("Instance");
      const meta = before.provider === "META";
      const config = (meta ? MetaSettings : EvolutionSettings)
        .strict()
        .safeParse({ ...before.config, ...input.config });
      if (!config.success) throw invalid(config.error, "config");
      assertSecretsFollowHost(before, config.data, input.secrets);
      const secrets = (meta ? MetaSecrets : EvolutionSecrets)
        .strict()
        .safeParse({ ...instanceSecrets(key, before), ...input.secrets });
      if (!secrets.success) throw invalid(secrets.error, "secrets");
      const cleanConfig = Object.fromEntries(Object.entries(config.data).filter(([, v]) => v !== undefined));
      const [after] = await tx
        .update(serviceInstances)
        .set({
          name: input.name,
          sendRatePerSecond: input.sendRatePerSecond,
          active: input.active,
          config: cleanConfig as Record<string, string>,
          secrets: input.secrets ? encryptJson(key, secrets.data) : before.secrets,
          metaPhoneNumberId: meta ? (config.data as { phoneNumberId: string }).phoneNumberId : null,
          updatedAt: ctx.now(),
        })
        .where(eq(serviceInstances.id, input.id))
        .returning();
      if (!after) throw notFound("Instance");
      await recordAudit(tx, {
        actorId: actor.id,
        action: "instance.update",
        targetType: "service_instance",
        targetId: after.id,
        // Names of the changed secrets only, never their values.
        data: { config: input.config ?? {}, secretsChanged: Object.keys(input.secrets ?? {}) },
      });
      return publicInstance(key, after);
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
