import {
  archiveDepartment,
  CreateDepartmentInput,
  createDepartment,
  getDepartment,
  listDepartmentMembers,
  listDepartments,
  SetDepartmentMembersInput,
  setDepartmentMembers,
  shapeDepartment,
  UpdateDepartmentInput,
  updateDepartment,
} from "@elsehu/core";
import { z } from "zod";
import { adminProcedure, router, staffProcedure, userProcedure } from "../trpc/init";

const ById = z.object({ id: z.string().uuid() });

/** Departments (filas/setores): admins manage them; staff read them; everyone lists them to transfer. */
export const departmentsRouter = router({
  /** With live figures; a supervisor limited to some departments gets only those. */
  list: staffProcedure
    .input(z.object({ includeArchived: z.boolean().default(false) }).default({ includeArchived: false }))
    .query(({ ctx, input }) => listDepartments(ctx.core, ctx.user, input)),

  /** The active departments to transfer to, for everyone (operators included): names and colours only. */
  options: userProcedure.query(async ({ ctx }) =>
    (await listDepartments(ctx.core, { ...ctx.user, role: "ADMIN" })).map((d) => ({
      id: d.id,
      name: d.name,
      color: d.color,
      openNow: d.openNow,
    })),
  ),

  get: staffProcedure.input(ById).query(({ ctx, input }) => getDepartment(ctx.core, ctx.user, input.id)),

  members: staffProcedure.input(ById).query(async ({ ctx, input }) => {
    await getDepartment(ctx.core, ctx.user, input.id);
    return listDepartmentMembers(ctx.core, input.id);
  }),

  create: adminProcedure
    .input(CreateDepartmentInput)
    .mutation(async ({ ctx, input }) => shapeDepartment(await createDepartment(ctx.core, ctx.user, input))),

  update: adminProcedure
    .input(UpdateDepartmentInput)
    .mutation(async ({ ctx, input }) => shapeDepartment(await updateDepartment(ctx.core, ctx.user, input))),

  archive: adminProcedure
    .input(ById.extend({ archived: z.boolean().default(true) }))
    .mutation(async ({ ctx, input }) => shapeDepartment(await archiveDepartment(ctx.core, ctx.user, input))),

  setMembers: adminProcedure
    .input(SetDepartmentMembersInput)
    .mutation(({ ctx, input }) => setDepartmentMembers(ctx.core, ctx.user, input)),
});
