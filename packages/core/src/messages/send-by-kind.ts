import type {
  ContactCardInput,
  LocationInput,
  MediaKind,
  ProviderAdapter,
  ReplyTarget,
  SendOptions,
  SendResult,
} from "@elsehu/providers";
import { ProviderError } from "@elsehu/providers";
import { z } from "zod";
import type { CoreContext } from "../shared/context";
import { readFileBytes } from "../storage/files";
import { templateInputOf } from "./template-content";

type Row = {
  id: string;
  type: string;
  body: string | null;
  content: Record<string, unknown> | null;
  media: { storageKey?: string; mimeType?: string; fileName?: string } | null;
};

/** `content.location` / `content.contacts` / `content.reaction` as queued (rows outlive code versions). */
export const LocationContent = z.object({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
});
export const ContactsContent = z.array(
  z.object({
    name: z.string(),
    phones: z.array(z.object({ phone: z.string(), waId: z.string().optional(), type: z.string().optional() })),
    emails: z.array(z.string()).optional(),
    company: z.string().optional(),
  }),
);
export const ReactionContent = z.object({ emoji: z.string(), targetMessageId: z.string() });
/** `content.interactive` of an automatic menu or question (queueAutomatic). */
export const InteractiveContent = z.object({
  kind: z.enum(["buttons", "list"]),
  body: z.string(),
  button: z.string().optional(),
  options: z.array(z.object({ id: z.string(), title: z.string() })),
  fallbackText: z.string(),
});

function cardsOf(content: Record<string, unknown> | null): ContactCardInput[] {
  return ContactsContent.parse(content?.contacts).map((c) => {
    const card: ContactCardInput = { name: c.name, phones: c.phones };
    if (c.emails?.[0]) card.email = c.emails[0];
    if (c.company) card.organization = c.company;
    return card;
  });
}

const noTarget = (provider: "META" | "EVOLUTION") =>
  new ProviderError({
    provider,
    code: "NO_REACTION_TARGET",
    retryable: false,
    providerMessage: "The message reacted to has no provider id",
  });

/**
 * The provider call for one queued message, by its kind: template, location, contact
 * cards, reaction, media (voice notes and stickers included) or text.
 */
export async function sendByKind(
  ctx: CoreContext,
  adapter: ProviderAdapter,
  to: string,
  row: Row,
  options: SendOptions & { replyTo?: ReplyTarget },
): Promise<SendResult> {
  switch (row.type) {
    case "template":
      return adapter.sendTemplate(to, templateInputOf(row.content, row.body), options);
    case "location":
      return adapter.sendLocation(to, LocationContent.parse(row.content?.location) as LocationInput, options);
    case "contacts":
      return adapter.sendContacts(to, cardsOf(row.content), options);
    case "interactive": {
      const interactive = InteractiveContent.parse(row.content?.interactive);
      if (adapter.sendInteractive) return adapter.sendInteractive(to, interactive, options);
      return adapter.sendText(to, interactive.fallbackText, options);
    }
    case "reaction": {
      const reaction = ReactionContent.parse(row.content?.reaction);
      if (!options.replyTo) throw noTarget(adapter.kind);
      const { replyTo, ...rest } = options;
      return adapter.sendReaction(to, { target: replyTo, emoji: reaction.emoji }, rest);
    }
  }
  const media = row.media;
  if (!media?.storageKey) return adapter.sendText(to, row.body ?? "", options);
  const bytes = await readFileBytes(ctx, media.storageKey);
  const kind = row.type as MediaKind;
  const mimeType = media.mimeType ?? "application/octet-stream";
  const common = {
    kind,
    mimeType,
    caption: row.body ?? undefined,
    fileName: media.fileName,
    voice: row.content?.voice === true,
  };
  if (adapter.uploadMedia) {
    const mediaId = await adapter.uploadMedia(bytes, mimeType, media.fileName ?? "file");
    return adapter.sendMedia(to, { ...common, mediaId }, options);
  }
  return adapter.sendMedia(to, { ...common, base64: Buffer.from(bytes).toString("base64") }, options);
}
