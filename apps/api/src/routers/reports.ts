import {
  ByDepartmentInput,
  ByOperatorInput,
  ByTabulationInput,
  ListFinishedInput,
  listFinished,
  METRICS,
  reportByDepartment,
  reportByOperator,
  reportByTabulation,
  reportSummary,
  SummaryInput,
} from "@elsehu/core";
import { router, userProcedure } from "../trpc/init";

/**
 * Reports for supervisors and admins. Operators may call them too, but core
 * forces their own operatorId (asking for another operator is FORBIDDEN).
 * The CSV export is the authenticated download GET /reports/finished.csv.
 */
export const reportsRouter = router({
  /** Names and pt-BR tooltips of the four times, as computed (docs/metrics.md). */
  definitions: userProcedure.query(({ ctx }) => ({ metrics: METRICS, timezone: ctx.core.config.timezone })),

  finished: userProcedure.input(ListFinishedInput).query(({ ctx, input }) => listFinished(ctx.core, ctx.user, input)),

  summary: userProcedure.input(SummaryInput).query(({ ctx, input }) => reportSummary(ctx.core, ctx.user, input)),

  byOperator: userProcedure
    .input(ByOperatorInput)
    .query(({ ctx, input }) => reportByOperator(ctx.core, ctx.user, input)),

  /** Per department: volume, waiting/open now, the times, CSAT (a limited supervisor: his departments only). */
  byDepartment: userProcedure
    .input(ByDepartmentInput)
    .query(({ ctx, input }) => reportByDepartment(ctx.core, ctx.user, input)),

  byTabulation: userProcedure
    .input(ByTabulationInput)
    .query(({ ctx, input }) => reportByTabulation(ctx.core, ctx.user, input)),
});
