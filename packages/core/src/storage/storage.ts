import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DomainError } from "../shared/errors";

/**
 * Files under `storagePath`. Keys are generated here (`<prefix>/<32 hex>`), and a
 * key is checked against that exact shape before it touches the filesystem, so no
 * name or path coming from a user can ever reach `fs`.
 */
export type Storage = {
  put: (
    body: Readable | AsyncIterable<Uint8Array>,
    opts: { prefix: StoragePrefix; maxBytes?: number },
  ) => Promise<{ key: string; size: number }>;
  /** `chunkBytes`: size of each read (default 256 KB). */
  open: (key: string, opts?: { start?: number; chunkBytes?: number }) => Readable;
  size: (key: string) => Promise<number>;
  remove: (key: string) => Promise<void>;
};

export type StoragePrefix = "imports" | "exports" | "media";
const KEY = /^(imports|exports|media)\/[0-9a-f]{32}$/;

export class TooLargeError extends DomainError {
  constructor(readonly maxBytes: number) {
    const maxMb = Math.floor(maxBytes / (1024 * 1024));
    super("FILE_TOO_LARGE", `file is larger than ${maxMb} MB`, { field: "file", kind: "file", maxMb, maxBytes });
  }
}

export function isStorageKey(key: string): boolean {
  return KEY.test(key);
}

export function createStorage(root: string): Storage {
  const pathOf = (key: string) => {
    if (!KEY.test(key)) throw new DomainError("INVALID_INPUT", "invalid file key", { field: "key" });
    return join(root, key);
  };
  return {
    async put(body, opts) {
      const key = `${opts.prefix}/${randomBytes(16).toString("hex")}`;
      const final = pathOf(key);
      const partial = `${final}.part`;
      await mkdir(join(root, opts.prefix), { recursive: true });
      let size = 0;
      const limit = opts.maxBytes ?? Number.POSITIVE_INFINITY;
      // Counting while streaming: the upload is refused as soon as it passes the limit.
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (size > limit) cb(new TooLargeError(limit));
          else cb(null, chunk);
        },
      });
      try {
        await pipeline(body, counter, createWriteStream(partial, { mode: 0o600 }));
        await rename(partial, final);
      } catch (err) {
        await unlink(partial).catch(() => {});
        throw err;
      }
      return { key, size };
    },
    open: (key, opts) =>
      createReadStream(pathOf(key), { start: opts?.start, highWaterMark: opts?.chunkBytes ?? 256 * 1024 }),
    size: async (key) => (await stat(pathOf(key))).size,
    remove: async (key) => {
      await unlink(pathOf(key)).catch(() => {});
    },
  };
}

/** The storage of a core context (`STORAGE_PATH`). */
export const storageOf = (ctx: { config: { storagePath: string } }) => createStorage(ctx.config.storagePath);
