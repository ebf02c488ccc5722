import { apiTokensRouter } from "./routers/api-tokens";
import { auditRouter } from "./routers/audit";
import { authRouter } from "./routers/auth";
import { campaignsRouter } from "./routers/campaigns";
import { contactsRouter } from "./routers/contacts";
import { conversationsRouter } from "./routers/conversations";
import { departmentsRouter } from "./routers/departments";
import { eventsRouter } from "./routers/events";
import { instancesRouter } from "./routers/instances";
import { messagesRouter } from "./routers/messages";
import { presenceRouter } from "./routers/presence";
import { quickRepliesRouter } from "./routers/quick-replies";
import { reportsRouter } from "./routers/reports";
import { settingsRouter } from "./routers/settings";
import { tabulationsRouter } from "./routers/tabulations";
import { templatesRouter } from "./routers/templates";
import { usersRouter } from "./routers/users";
import { webhookEndpointsRouter } from "./routers/webhook-endpoints";
import { router } from "./trpc/init";

export const appRouter = router({
  auth: authRouter,
  contacts: contactsRouter,
  users: usersRouter,
  reports: reportsRouter,
  tabulations: tabulationsRouter,
  conversations: conversationsRouter,
  messages: messagesRouter,
  presence: presenceRouter,
  events: eventsRouter,
  templates: templatesRouter,
  campaigns: campaignsRouter,
  instances: instancesRouter,
  departments: departmentsRouter,
  settings: settingsRouter,
  apiTokens: apiTokensRouter,
  webhookEndpoints: webhookEndpointsRouter,
  audit: auditRouter,
  quickReplies: quickRepliesRouter,
});

export type AppRouter = typeof appRouter;
