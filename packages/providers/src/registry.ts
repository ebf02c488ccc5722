import type { MediaKind, ProviderAdapter } from "./adapter";
import { EvolutionAdapter, type EvolutionConfig } from "./evolution/evolution-adapter";
import { MetaAdapter, type MetaConfig } from "./meta/meta-adapter";
import type { ProviderKind } from "./types";

export type ProviderConfig<K extends ProviderKind> = K extends "META" ? MetaConfig : EvolutionConfig;

/** Builds the adapter for a service instance from its (decrypted) provider config. */
export function createProvider<K extends ProviderKind>(kind: K, config: ProviderConfig<K>): ProviderAdapter {
  return kind === "META" ? new MetaAdapter(config as MetaConfig) : new EvolutionAdapter(config as EvolutionConfig);
}

export interface SendLimits {
  /** Largest outbound file per media kind, in bytes (refuse before uploading). */
  maxMediaBytes: Record<MediaKind | "sticker", number>;
  /** Default pace for campaigns and bursts, messages per second per instance. */
  messagesPerSecond: number;
  /** Max caption length for image/video/document. */
  maxCaptionChars: number;
  /** Max text body length. */
  maxTextChars: number;
}

const MB = 1024 * 1024;

/**
 * Meta numbers come from the Cloud API docs (media page, throughput page: 80 mps per
 * number by default). Evolution has no published limits: its media sizes mirror what
 * WhatsApp accepts, and 5 msg/s is a deliberately low pace because WhatsApp Web
 * numbers that blast get banned.
 */
export const sendLimits: Record<ProviderKind, SendLimits> = {
  META: {
    maxMediaBytes: { image: 5 * MB, audio: 16 * MB, video: 16 * MB, document: 100 * MB, sticker: 500 * 1024 },
    messagesPerSecond: 80,
    maxCaptionChars: 1024,
    maxTextChars: 4096,
  },
  EVOLUTION: {
    maxMediaBytes: { image: 16 * MB, audio: 16 * MB, video: 64 * MB, document: 100 * MB, sticker: 1 * MB },
    messagesPerSecond: 5,
    maxCaptionChars: 1024,
    maxTextChars: 65_536,
  },
};
