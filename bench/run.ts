/**
 * `pnpm bench <name> [--size N] [flags]` runs bench/<name>.ts in its own
 * process (so each benchmark starts with a clean heap and event loop);
 * `pnpm bench` alone lists the benchmarks.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

function available(): { name: string; summary: string }[] {
  return readdirSync(here)
    .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.endsWith(".d.ts"))
    .map((f) => ({ name: f.slice(0, -3), summary: firstDocLine(join(here, f)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The first line of the file's leading JSDoc comment, as its one-line description. */
function firstDocLine(file: string): string {
  const m = /\/\*\*\s*\n?\s*\*?\s*([^\n]*)/.exec(readFileSync(file, "utf8"));
  return m?.[1]?.replace(/\*\/\s*$/, "").trim() ?? "";
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === "--help" || name === "-h") {
  const list = available();
  console.log("Usage: pnpm bench <name> [--size N] [flags]\n\nBenchmarks:");
  for (const b of list) console.log(`  ${b.name.padEnd(16)} ${b.summary}`);
  if (list.length === 0) console.log("  (none yet)");
  process.exit(0);
}

const file = join(here, `${name}.ts`);
if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || !existsSync(file)) {
  console.error(
    `Unknown benchmark "${name}". Available: ${
      available()
        .map((b) => b.name)
        .join(", ") || "none"
    }`,
  );
  process.exit(2);
}

// tsx as a loader of the current node binary; extra node flags (e.g. --cpu-prof) go through BENCH_NODE_OPTIONS.
const nodeFlags = (process.env.BENCH_NODE_OPTIONS ?? "").split(/\s+/).filter(Boolean);
const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", file, ...rest], {
  stdio: "inherit",
  env: process.env,
});
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
