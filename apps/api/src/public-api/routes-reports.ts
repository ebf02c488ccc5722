import { reportSummary, SummaryInput } from "@elsehu/core";
import { publicRouter, scoped } from "./init";
import { plain, ReportSummaryOut } from "./schemas";

export const reportsRoutes = publicRouter({
  summary: scoped("reports:read")
    .meta({
      openapi: {
        method: "GET",
        path: "/reports/summary",
        tags: ["reports"],
        summary: "Counts and times for a period",
        description:
          "`from`/`to`: whole days YYYY-MM-DD in the configured timezone. The finished conversations' CSV is `GET /reports/finished.csv`.",
      },
    })
    .input(SummaryInput)
    .output(ReportSummaryOut)
    .query(async ({ ctx, input }) => plain(await reportSummary(ctx.core, ctx.actor, input)) as never),
});
