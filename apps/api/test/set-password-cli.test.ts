import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { httpClient, type Stack, startStack, userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const TSX = import.meta.resolve("tsx");
let stack: Stack;
const dirs: string[] = [];
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs `pnpm user:set-password <email>` in a folder holding `dotEnv` as its .env, `stdin` piped in. */
function setPassword(email: string, stdin: string, opts: { dotEnv?: string; env?: Record<string, string> } = {}) {
  const cwd = mkdtempSync(join(tmpdir(), "elsehu-cli-"));
  dirs.push(cwd);
  if (opts.dotEnv !== undefined) writeFileSync(join(cwd, ".env"), opts.dotEnv);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...opts.env };
  const child = spawn(process.execPath, ["--import", TSX, join(ROOT, "scripts/set-password.ts"), email], { cwd, env });
  let out = "";
  child.stdout.on("data", (b: Buffer) => {
    out += b.toString();
  });
  child.stderr.on("data", (b: Buffer) => {
    out += b.toString();
  });
  child.stdin.end(stdin);
  return new Promise<{ code: number | null; out: string }>((done) => child.on("close", (code) => done({ code, out })));
}

async function loginCode(email: string, password: string) {
  try {
    await httpClient(stack.url).auth.login.mutate({ email, password });
    return "OK";
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { code?: string } | undefined)?.code;
    throw err;
  }
}

describe("pnpm user:set-password", () => {
  it("sets the password read from stdin, ends the user's sessions, and takes DATABASE_URL from .env", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    // No DATABASE_URL in the environment: only the .env file names the database.
    const r = await setPassword(admin.email, "senha-nova-123\n", { dotEnv: `DATABASE_URL=${stack.databaseUrl}\n` });
    expect(r.out).toContain(`Password of ${admin.email} (ADMIN) changed`);
    expect(r.code).toBe(0);
    expect(await loginCode(admin.email, "senha-nova-123")).toBe("OK");
    expect(await loginCode(admin.email, "correct horse battery")).toBe("UNAUTHORIZED");
    // The session opened with the old password is over.
    await expect(admin.client.auth.me.query()).rejects.toThrow();
  });

  it("lets the real environment win over .env", async () => {
    const op = await userWithToken(stack, "OPERATOR");
    const r = await setPassword(op.email, "outra-senha-456\n", {
      dotEnv: "DATABASE_URL=postgres://nobody@127.0.0.1:1/nowhere\n",
      env: { DATABASE_URL: stack.databaseUrl },
    });
    expect(r.code).toBe(0);
    expect(await loginCode(op.email, "outra-senha-456")).toBe("OK");
  });

  it("refuses a short password and an unknown email, changing nothing", async () => {
    const op = await userWithToken(stack, "OPERATOR");
    const short = await setPassword(op.email, "curta\n", { env: { DATABASE_URL: stack.databaseUrl } });
    expect(short.code).toBe(2);
    expect(short.out).toMatch(/password: must have at least 8 characters/);
    expect(await loginCode(op.email, "correct horse battery")).toBe("OK");
    const unknown = await setPassword("ninguem@test.local", "senha-valida-1\n", {
      env: { DATABASE_URL: stack.databaseUrl },
    });
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/User ninguem@test.local not found/);
  });
});
