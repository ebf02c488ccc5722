import { ProviderError } from "@elsehu/providers";
import type { CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { EVOLUTION_SECRET_HEADER } from "./instance-config";
import { type AdapterRow, evolutionAdapterFor, metaAdapterFor } from "./provider-for";
import { instanceSecrets } from "./shape";

/** The Evolution events a customer-service inbox needs (reference 4.7). */
export const EVOLUTION_WEBHOOK_EVENTS = [
  "QRCODE_UPDATED",
  "CONNECTION_UPDATE",
  "MESSAGES_UPSERT",
  "MESSAGES_UPDATE",
  "MESSAGES_EDITED",
  "MESSAGES_DELETE",
  "SEND_MESSAGE",
];

type Ctx = Pick<CoreContext, "config" | "now">;

/** A provider refusal or outage as an error the admin can act on, naming the field at fault. */
function explain(provider: "META" | "EVOLUTION", err: unknown): never {
  if (!(err instanceof ProviderError)) throw err;
  const words = err.providerMessage;
  if (provider === "META" && (err.code === "190" || err.code === "2500" || err.httpStatus === 401)) {
    throw new DomainError("META_BAD_TOKEN", `secrets.accessToken: Meta refused the access token (${words})`, {
      field: "secrets.accessToken",
    });
  }
  if (provider === "META" && err.code === "100") {
    throw new DomainError(
      "META_UNKNOWN_PHONE_NUMBER_ID",
      `config.phoneNumberId: Meta does not know this phone number id (${words})`,
      {
        field: "config.phoneNumberId",
      },
    );
  }
  if (provider === "EVOLUTION" && (err.code === "UNAUTHORIZED" || err.code === "FORBIDDEN")) {
    throw new DomainError("EVOLUTION_BAD_API_KEY", `secrets.apiKey: Evolution refused the API key (${words})`, {
      field: "secrets.apiKey",
    });
  }
  throw new DomainError("PROVIDER_REFUSED", `${provider === "META" ? "Meta" : "Evolution"}: ${words}`, {
    code: err.code,
    providerMessage: words,
  });
}

/** Reads the Meta number's display name, quality rating and messaging limit (the save-time check). */
export async function checkMetaNumber(ctx: Ctx, row: AdapterRow): Promise<Record<string, string>> {
  const info = await metaAdapterFor(ctx, row)
    .phoneNumberInfo()
    .catch((err: unknown) => explain("META", err));
  const details: Record<string, string> = { checkedAt: ctx.now().toISOString() };
  for (const [key, value] of Object.entries(info)) if (value) details[key] = value;
  return details;
}

/** Where Evolution must post this instance's webhooks. */
export function evolutionWebhookUrl(ctx: Pick<CoreContext, "config">, id: string): string {
  const base = ctx.config.publicUrl;
  if (!base) {
    throw new DomainError(
      "PUBLIC_URL_MISSING",
      "PUBLIC_URL is not set: Evolution cannot be told where to post webhooks",
    );
  }
  return `${base}/webhooks/evolution/${id}`;
}

/**
 * Makes the Evolution side ready with no step left to the admin: creates the instance
 * when the server does not have it, then sets its webhook (URL, the events we need, the
 * secret header). Needs the server's global API key for the creation.
 */
export async function setupEvolutionInstance(ctx: Ctx, id: string, row: AdapterRow): Promise<Record<string, string>> {
  const url = evolutionWebhookUrl(ctx, id);
  const adapter = evolutionAdapterFor(ctx, row);
  const secret = instanceSecrets(ctx.config.encryptionKey, row).webhookSecret ?? "";
  const headers = { [EVOLUTION_SECRET_HEADER]: secret };
  try {
    const exists = await adapter.instanceExists();
    if (!exists) {
      await adapter.createInstance({ qrcode: false, webhook: { url, events: EVOLUTION_WEBHOOK_EVENTS, headers } });
    }
    await adapter.setWebhook(url, EVOLUTION_WEBHOOK_EVENTS, headers);
    return { checkedAt: ctx.now().toISOString(), webhookUrl: url, instanceCreated: exists ? "false" : "true" };
  } catch (err) {
    explain("EVOLUTION", err);
  }
}
