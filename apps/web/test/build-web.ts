import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const webRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = resolve(webRoot, "../..");

/**
 * Builds the console from the current sources into a private folder, so a
 * test never serves a stale apps/web/dist nor races another build writing it.
 */
export async function buildWeb(outDir = mkdtempSync(join(tmpdir(), "elsehu-web-"))): Promise<string> {
  const { build } = await import("vite");
  await build({
    root: webRoot,
    configFile: join(webRoot, "vite.config.ts"),
    logLevel: "silent",
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
