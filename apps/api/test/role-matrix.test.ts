import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/router";
import { createContext } from "../src/trpc/context";
import { createCallerFactory } from "../src/trpc/init";
import { ACCESS } from "./access-matrix";

const ROLES = ["ANON", "OPERATOR", "SUPERVISOR", "ADMIN"] as const;
type Role = (typeof ROLES)[number];
const RANK: Record<Role, number> = { ANON: 0, OPERATOR: 1, SUPERVISOR: 2, ADMIN: 3 };
const NEEDED = { public: 0, user: 1, staff: 2, admin: 3 } as const;

let stack: Stack;
const userIds: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  stack = await startStack({ worker: false });
  for (const role of ["OPERATOR", "SUPERVISOR", "ADMIN"] as const) {
    userIds[role] = (await userWithToken(stack, role)).user.id;
  }
});
afterAll(async () => {
  await stack.close();
});

const procedures = () => Object.keys(appRouter._def.procedures as Record<string, unknown>).sort();

/** Calls a procedure by path with a throwaway session, returning the error code it ends with (or OK). */
async function probe(path: string, role: Role): Promise<{ code: string; message: string }> {
  const userId = role === "ANON" ? undefined : userIds[role];
  const token = userId ? (await stack.core.auth.createSession(userId, {})).token : undefined;
  const ctx = await createContext(stack.api.deps, { token, via: token ? "bearer" : null, ip: "127.0.0.9" });
  const caller = createCallerFactory(appRouter)(ctx);
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  try {
    // A value no procedure input accepts: allowed callers stop at validation, before any effect.
    const result = await (target as (input: unknown) => Promise<unknown>)("__role_matrix_probe__");
    if (result && typeof result === "object" && Symbol.asyncIterator in result) {
      await (result as AsyncGenerator).return?.(undefined);
    }
    return { code: "OK", message: "" };
  } catch (err) {
    if (err instanceof TRPCError) return { code: err.code, message: err.message };
    throw err;
  }
}

describe("role matrix", () => {
  it("has an access entry for every procedure, and no stale entries", () => {
    expect(procedures()).toEqual(Object.keys(ACCESS).sort());
  });

  for (const path of Object.keys(ACCESS).sort()) {
    it(`${path} is ${ACCESS[path]}`, async () => {
      const needed = NEEDED[ACCESS[path] ?? "admin"];
      for (const role of ROLES) {
        const { code, message } = await probe(path, role);
        if (RANK[role] >= needed) {
          expect(code, `${role} on ${path}: ${message}`).not.toBe("UNAUTHORIZED");
          expect(message, `${role} on ${path}`).not.toBe("Your role cannot do this");
        } else if (role === "ANON") {
          expect(code, `${role} on ${path}`).toBe("UNAUTHORIZED");
        } else {
          expect(code, `${role} on ${path}`).toBe("FORBIDDEN");
        }
      }
    });
  }
});
