import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import type { CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";
import { isStorageKey, storageOf } from "./storage";

export type FileMeta = { mimeType: string; fileName?: string };
export type StoredFile = FileMeta & { size: number; stream: Readable };

/**
 * Message media on top of the storage module: bytes or a stream under a fresh
 * `media/…` key. The type and name live with the message row (`messages.media`).
 */
export async function saveStream(ctx: Pick<CoreContext, "config">, source: Uint8Array | Readable): Promise<string> {
  const input = source instanceof Uint8Array ? Readable.from([Buffer.from(source)]) : source;
  const { key } = await storageOf(ctx).put(input, { prefix: "media" });
  return key;
}

export async function openFile(ctx: Pick<CoreContext, "config">, key: string, meta: FileMeta): Promise<StoredFile> {
  if (!isStorageKey(key)) throw notFound("File");
  const storage = storageOf(ctx);
  try {
    return { ...meta, size: await storage.size(key), stream: storage.open(key) };
  } catch {
    throw notFound("File");
  }
}

export async function readFileBytes(ctx: Pick<CoreContext, "config">, key: string): Promise<Buffer> {
  return buffer(storageOf(ctx).open(key));
}
