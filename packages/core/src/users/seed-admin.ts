import { randomBytes } from "node:crypto";
import { users } from "@elsehu/db";
import { eq, sql } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { createUser } from "./create-user";

/**
 * Idempotent seed: creates the admin when no user has this email. Returns the
 * generated password once, on the run that created the admin without one given.
 */
export async function seedAdmin(ctx: CoreContext, opts: { email: string; password?: string; name?: string }) {
  const email = opts.email.trim().toLowerCase();
  const [existing] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  if (existing) return { created: false as const };
  const password = opts.password ?? randomBytes(12).toString("base64url");
  try {
    await createUser(ctx, null, { name: opts.name ?? "Administrador", email, password, role: "ADMIN" });
  } catch (err) {
    // A concurrent seed won the race: same outcome.
    if (err instanceof Error && "code" in err && err.code === "CONFLICT") return { created: false as const };
    throw err;
  }
  return { created: true as const, generatedPassword: opts.password ? undefined : password };
}
