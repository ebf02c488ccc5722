import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/** The API the dev server forwards to (`pnpm dev` runs it on :3000). */
const api = process.env.ELSEHU_API_URL ?? "http://localhost:3000";
const proxied = ["/uploads", "/reports", "/imports", "/media", "/webhooks", "/exports", "/healthz"];

/** Writes a .gz beside each text asset so the API serves them precompressed (no CPU per request). */
function precompress(): Plugin {
  return {
    name: "elsehu-precompress",
    apply: "build",
    writeBundle(options) {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((f) => {
          const p = join(dir, f);
          return statSync(p).isDirectory() ? walk(p) : [p];
        });
      const dir = options.dir ?? "dist";
      for (const file of walk(dir)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    proxy: {
      "/trpc": { target: api, ws: true },
      ...Object.fromEntries(proxied.map((p) => [p, { target: api }])),
    },
  },
});
