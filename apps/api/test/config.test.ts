import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { coreConfigFromEnv } from "@elsehu/core";
import { describe, expect, it } from "vitest";
import { loadApiEnv } from "../src/env";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Runs the real API entry point with `env` on top of a clean environment; resolves with its exit code and stderr. */
function runApiMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("APP_") && k !== "NODE_ENV" && k !== "PORT"),
  );
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", "apps/api/src/main.ts"], {
      cwd: root,
      env: { ...base, LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 25_000);
    child.on("error", fail);
    child.on("exit", (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

describe("configuration", () => {
  it.each([
    ["PORT", "abc"],
    ["SESSION_IDLE_TIMEOUT", "soon"],
    ["APP_ENCRYPTION_KEY", "short"],
    ["DATABASE_URL", "not a url"],
    ["LOG_LEVEL", "chatty"],
    ["RATE_LIMIT_PER_MINUTE", "-5"],
  ])("refuses %s=%s with a message naming the variable", (name, value) => {
    expect(() => loadApiEnv({ [name]: value })).toThrow(new RegExp(name));
  });

  it("names every bad variable at once", () => {
    expect(() => loadApiEnv({ PORT: "abc", CONVERSATION_TTL: "later" })).toThrow(/PORT.*CONVERSATION_TTL/);
  });

  it("accepts durations in seconds, minutes, hours and days", () => {
    expect(loadApiEnv({ SESSION_IDLE_TIMEOUT: "30m" }).SESSION_IDLE_TIMEOUT).toBe(1800);
    expect(loadApiEnv({ CONVERSATION_TTL: "1d" }).CONVERSATION_TTL).toBe(86_400);
    expect(loadApiEnv({ SESSION_IDLE_TIMEOUT: "900" }).SESSION_IDLE_TIMEOUT).toBe(900);
  });

  it("treats empty variables as unset, so a copied .env.example starts with the defaults", () => {
    const env = loadApiEnv({ PORT: "", DATABASE_URL: "", APP_ENCRYPTION_KEY: "" });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("requires APP_ENCRYPTION_KEY in production", () => {
    expect(() => coreConfigFromEnv(loadApiEnv({ NODE_ENV: "production" }))).toThrow(/APP_ENCRYPTION_KEY/);
    const key = "ab".repeat(32);
    expect(coreConfigFromEnv(loadApiEnv({ NODE_ENV: "production", APP_ENCRYPTION_KEY: key })).encryptionKey).toEqual(
      Buffer.from(key, "hex"),
    );
  });

  it("stops the API process at start with PORT=abc, exit code non-zero and PORT named on stderr", async () => {
    const { code, stderr } = await runApiMain({ PORT: "abc", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/PORT/);
  });

  it("refuses to start in production without APP_ENCRYPTION_KEY, naming it", async () => {
    const { code, stderr } = await runApiMain({
      NODE_ENV: "production",
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
    });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/APP_ENCRYPTION_KEY/);
  });

  it("refuses to start in production without METRICS_TOKEN, naming it (/metrics would be open to anyone)", async () => {
    const { code, stderr } = await runApiMain({
      NODE_ENV: "production",
      APP_ENCRYPTION_KEY: "ab".repeat(32),
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
    });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/METRICS_TOKEN/);
  });
});
