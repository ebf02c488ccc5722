import { authRouter } from "./routers/auth";
import { campaignsRouter } from "./routers/campaigns";
import { templatesRouter } from "./routers/templates";
import { usersRouter } from "./routers/users";
import { router } from "./trpc/init";

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  templates: templatesRouter,
  campaigns: campaignsRouter,
});

export type AppRouter = typeof appRouter;
