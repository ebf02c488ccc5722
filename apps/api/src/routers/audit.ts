import { ListAuditInput, listAudit } from "@elsehu/core";
import { adminProcedure, router } from "../trpc/init";

/** Roles: the audit log is read by ADMINs only (Administração → Auditoria). */
export const auditRouter = router({
  list: adminProcedure.input(ListAuditInput).query(({ ctx, input }) => listAudit(ctx.core, input)),
});
