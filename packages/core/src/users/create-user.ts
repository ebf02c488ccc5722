import { users } from "@elsehu/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { hashPassword } from "../auth/password";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { publicUser } from "./shape";

export const CreateUserInput = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(8, "The password must have at least 8 characters").max(256),
  role: z.enum(["ADMIN", "SUPERVISOR", "OPERATOR"]),
  maxConcurrent: z.number().int().min(1).max(100).default(5),
});
export type CreateUserInput = z.input<typeof CreateUserInput>;

export async function createUser(ctx: CoreContext, actor: Actor | null, raw: CreateUserInput) {
  const input = CreateUserInput.parse(raw);
  const passwordHash = await hashPassword(input.password);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({
          name: input.name,
          email: input.email,
          passwordHash,
          role: input.role,
          maxConcurrent: input.maxConcurrent,
        })
        .returning();
      if (!row) throw bug("user insert returned nothing");
      await recordAudit(tx, {
        actorId: actor?.id ?? null,
        action: "user.create",
        targetType: "user",
        targetId: row.id,
        data: { email: row.email, role: row.role },
      });
      return publicUser(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new DomainError("EMAIL_TAKEN", `A user with email ${input.email} already exists`, { field: "email" });
    }
    throw err;
  }
}
