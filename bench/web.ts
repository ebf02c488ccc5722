/**
 * `pnpm bench web` (or `tsx bench/web.ts [--dist apps/web/dist]`): builds the
 * console into a temp folder (or reads a given build) and measures the gzip
 * size of the JavaScript the browser loads before first render: the entry
 * script of index.html plus every <link rel="modulepreload">. Lazy chunks
 * (admin/supervisor pages) are reported apart. Budget: 300 KB gzip.
 * Last line: {"name":"web","initial_js_gzip_kb":…}.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 300;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const webRoot = join(root, "apps/web");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function build(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "elsehu-bench-web-"));
  const { build: viteBuild } = await import("vite");
  await viteBuild({
    root: webRoot,
    configFile: join(webRoot, "vite.config.ts"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

const gzipKb = (file: string) => gzipSync(readFileSync(file)).length / 1024;
const round = (n: number) => Math.round(n * 10) / 10;

/** The scripts index.html makes the browser fetch at once: module entry + modulepreloads. */
export function initialScripts(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) if (m[1]) out.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) if (m[1]) out.add(m[1]);
  return [...out];
}

async function main() {
  const given = arg("dist");
  const dist = given ? resolve(given) : await build();
  try {
    const html = readFileSync(join(dist, "index.html"), "utf8");
    const initial = initialScripts(html);
    if (initial.length === 0) throw new Error("index.html loads no module script");
    const initialKb = initial.reduce((sum, src) => sum + gzipKb(join(dist, src.replace(/^\//, ""))), 0);
    const allJs = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js"));
    const totalKb = allJs.reduce((sum, f) => sum + gzipKb(join(dist, "assets", f)), 0);
    for (const src of initial)
      console.log(`initial  ${src}  ${round(gzipKb(join(dist, src.replace(/^\//, ""))))} KB gz`);
    console.log(`lazy chunks: ${allJs.length - initial.length}, ${round(totalKb - initialKb)} KB gz`);
    console.log(
      JSON.stringify({
        name: "web",
        initial_js_gzip_kb: round(initialKb),
        budget_kb: BUDGET_KB,
        ratio_to_budget: Math.round((initialKb / BUDGET_KB) * 1000) / 1000,
        lazy_js_gzip_kb: round(totalKb - initialKb),
        initial_files: initial.length,
      }),
    );
  } finally {
    if (!given) rmSync(dist, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
