import { generateOpenApiDocument } from "trpc-to-openapi";
import { publicApiRouter } from "./router";

const CSV_EXPORT = {
  get: {
    operationId: "reports-finishedCsv",
    tags: ["reports"],
    summary: "Finished conversations as CSV",
    description:
      "Streamed CSV, oldest close first. `excel=1`: semicolons, UTF-8 BOM, pt-BR dates and decimals. Needs reports:read.",
    security: [{ bearerAuth: [] }],
    parameters: [
      { name: "from", in: "query", required: true, schema: { type: "string", format: "date" } },
      { name: "to", in: "query", required: true, schema: { type: "string", format: "date" } },
      { name: "operatorId", in: "query", required: false, schema: { type: "string", format: "uuid" } },
      { name: "tabulationId", in: "query", required: false, schema: { type: "string", format: "uuid" } },
      { name: "instanceId", in: "query", required: false, schema: { type: "string", format: "uuid" } },
      { name: "tag", in: "query", required: false, schema: { type: "string" } },
      { name: "excel", in: "query", required: false, schema: { type: "string", enum: ["0", "1"] } },
    ],
    responses: {
      "200": { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } },
      "400": { description: "Invalid input" },
      "401": { description: "Bad token" },
      "403": { description: "Scope missing" },
    },
  },
} as const;

/** The OpenAPI 3.1 document of `/api/v1`, built once from the router's zod schemas. */
export function openApiDocument(baseUrl: string) {
  return generateOpenApiDocument(publicApiRouter, {
    title: "Elsehu Atendimento API",
    version: "1.0.0",
    openApiVersion: "3.1.0",
    description:
      "Bearer token (Administração → Integrações → Tokens de API) with the operation's scope. Errors are JSON `{message, reason, details?, code}`; `reason` is the same code the console gets. Rate limited per token (`RateLimit-*` headers).",
    baseUrl,
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
    tags: ["messages", "contacts", "conversations", "campaigns", "reports"],
    paths: { "/reports/finished.csv": CSV_EXPORT } as never,
  });
}
