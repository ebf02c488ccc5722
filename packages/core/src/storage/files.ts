import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";

export type FileMeta = { mimeType: string; fileName?: string };
export type StoredFile = FileMeta & { size: number; stream: Readable };

const KEY = /^\d{4}\/\d{2}\/[0-9a-f-]{36}$/;

/** Keys are generated here, never taken from users, so a key cannot walk out of the storage root. */
function pathOf(ctx: Pick<CoreContext, "config">, key: string): string {
  if (!KEY.test(key)) throw new DomainError("NOT_FOUND", "File not found");
  const root = resolve(ctx.config.storagePath);
  const path = resolve(root, key);
  if (!path.startsWith(root + sep)) throw new DomainError("NOT_FOUND", "File not found");
  return path;
}

/** Writes bytes or a stream under a fresh key (`yyyy/mm/uuid`) with a small metadata sidecar. */
export async function saveStream(
  ctx: Pick<CoreContext, "config" | "now">,
  source: Uint8Array | Readable,
  meta: FileMeta,
): Promise<string> {
  const now = ctx.now();
  const key = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}/${randomUUID()}`;
  const path = pathOf(ctx, key);
  await mkdir(dirname(path), { recursive: true });
  const input = source instanceof Uint8Array ? Readable.from([Buffer.from(source)]) : source;
  await pipeline(input, createWriteStream(path, { flags: "wx" }));
  await writeFile(`${path}.json`, JSON.stringify(meta));
  return key;
}

export async function openFile(ctx: Pick<CoreContext, "config">, key: string): Promise<StoredFile> {
  const path = pathOf(ctx, key);
  try {
    const [info, meta] = await Promise.all([stat(path), readFile(`${path}.json`, "utf8")]);
    return { ...(JSON.parse(meta) as FileMeta), size: info.size, stream: createReadStream(path) };
  } catch {
    throw new DomainError("NOT_FOUND", "File not found");
  }
}

export async function readFileBytes(ctx: Pick<CoreContext, "config">, key: string): Promise<Buffer> {
  return readFile(pathOf(ctx, key));
}
