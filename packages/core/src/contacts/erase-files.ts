import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { sql } from "drizzle-orm";
import type { CoreContext, Tx } from "../shared/context";
import { isStorageKey, storageOf } from "../storage/storage";
import { type PhoneTraces, separatedDigits } from "./erase-traces";

/** Storage keys of every media file of the person's conversations (his and the operators'). */
export async function mediaKeysOf(tx: Tx, contactId: string): Promise<string[]> {
  const rows = await tx.execute<{ key: string }>(sql`
    select m.media->>'storageKey' as key from messages m
    join conversations c on c.id = m.conversation_id
    where c.contact_id = ${contactId} and m.media->>'storageKey' is not null`);
  return rows.map((r) => r.key).filter(isStorageKey);
}

/**
 * Contact-import files still on disk: finished ones (no longer needed) and those not started yet.
 * One running now keeps its file (its resume point counts lines) and deletes it when it ends.
 */
export async function importFilesOf(tx: Tx): Promise<{ id: string; key: string; pending: boolean }[]> {
  await tx.execute(sql`update imports set erase_file_when_done = true where kind = 'CONTACTS' and status = 'RUNNING'`);
  const rows = await tx.execute<{ id: string; file_key: string; status: string }>(sql`
    select id, file_key, status from imports
    where kind = 'CONTACTS' and status in ('PENDING', 'COMPLETED', 'FAILED') for update`);
  return rows
    .filter((r) => isStorageKey(r.file_key))
    .map((r) => ({ id: r.id, key: r.file_key, pending: r.status === "PENDING" }));
}

/**
 * After the erasure commits: the person's media files are deleted; the CSV of a
 * finished contact import (its rows are in the database, nothing reads it again)
 * is deleted; the CSV of an import not started yet loses the lines with his phone.
 * An import running at that moment deletes its file when it ends (run-import.ts).
 */
export async function eraseFiles(
  ctx: Pick<CoreContext, "config" | "db" | "log">,
  media: string[],
  importFiles: { id: string; key: string; pending: boolean }[],
  traces: PhoneTraces,
): Promise<void> {
  const storage = storageOf(ctx);
  for (const key of media) await storage.remove(key);
  const patterns = traces.national.map((d) => new RegExp(separatedDigits(d)));
  for (const f of importFiles) {
    if (!f.pending) {
      await storage.remove(f.key);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await buffer(storage.open(f.key));
    } catch {
      continue; // already gone
    }
    // Digits are ASCII in every encoding the import reads (UTF-8, Windows-1252, UTF-16 with NULs between).
    const lines = bytes.toString("latin1").split("\n");
    const kept = lines.filter((line) => !patterns.some((p) => p.test(line)));
    if (kept.length === lines.length) continue;
    const { key } = await storage.put(Readable.from([Buffer.from(kept.join("\n"), "latin1")]), { prefix: "imports" });
    const moved = await ctx.db.execute(
      sql`update imports set file_key = ${key} where id = ${f.id} and status = 'PENDING' and file_key = ${f.key} returning id`,
    );
    if (moved.length === 1) await storage.remove(f.key);
    else await storage.remove(key);
  }
}
