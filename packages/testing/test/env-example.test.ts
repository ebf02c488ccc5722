import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv as parseDotEnv } from "node:util";
import { apiEnvSchema } from "@elsehu/api";
import { parseEnv } from "@elsehu/core";
import { workerEnvSchema } from "@elsehu/worker";
import { describe, expect, it } from "vitest";
import type { z } from "zod";

/** Read by scripts (demo, browser tests), not by a process's env schema. */
const SCRIPT_ONLY = ["SIMULATOR_PORT", "DEMO_EVERY", "CHROMIUM_PATH"];

const example = parseDotEnv(readFileSync(resolve(import.meta.dirname, "../../../.env.example"), "utf8"));
const schemas = { api: apiEnvSchema, worker: workerEnvSchema } as const;
const names = (s: z.ZodObject) => Object.keys(s.shape);

describe(".env.example", () => {
  it("lists every variable of the API's and the worker's env schemas", () => {
    const all = new Set([...names(apiEnvSchema), ...names(workerEnvSchema)]);
    expect([...all].filter((n) => !(n in example))).toEqual([]);
  });

  it("lists nothing that no schema or script reads", () => {
    const known = new Set([...names(apiEnvSchema), ...names(workerEnvSchema), ...SCRIPT_ONLY]);
    expect(Object.keys(example).filter((n) => !known.has(n))).toEqual([]);
  });

  it("shows each variable's default: its value parses to what leaving it unset gives", () => {
    const wrong: string[] = [];
    for (const [app, schema] of Object.entries(schemas)) {
      const defaults = parseEnv(schema, {}) as Record<string, unknown>;
      for (const name of names(schema)) {
        const parsed = parseEnv(schema, { [name]: example[name] ?? "" }) as Record<string, unknown>;
        if (JSON.stringify(parsed[name]) !== JSON.stringify(defaults[name]))
          wrong.push(`${app} ${name}=${example[name]} (default ${JSON.stringify(defaults[name])})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
