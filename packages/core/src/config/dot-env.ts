import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/**
 * Loads `file` (default `.env` in the working directory) into `env`, as `.env.example` promises: a variable
 * already set in the real environment wins, so `PORT=4000 pnpm start` still beats the file. Returns the names
 * taken from the file. A missing file is not an error.
 */
export function loadDotEnv(env: NodeJS.ProcessEnv, file = ".env"): string[] {
  if (!existsSync(file)) return [];
  const loaded: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, "utf8")))) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    loaded.push(name);
  }
  return loaded;
}
