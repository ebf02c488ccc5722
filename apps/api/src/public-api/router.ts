import { publicRouter } from "./init";
import { campaignsRoutes } from "./routes-campaigns";
import { contactsRoutes } from "./routes-contacts";
import { conversationsRoutes } from "./routes-conversations";
import { messagesRoutes } from "./routes-messages";
import { reportsRoutes } from "./routes-reports";

/**
 * The public REST API (`/api/v1`): tRPC procedures over the same zod schemas
 * and core verbs as the console's, served as REST and documented as OpenAPI
 * 3.1 by trpc-to-openapi. Never mounted on `/trpc`.
 */
export const publicApiRouter = publicRouter({
  messages: messagesRoutes,
  contacts: contactsRoutes,
  conversations: conversationsRoutes,
  campaigns: campaignsRoutes,
  reports: reportsRoutes,
});
