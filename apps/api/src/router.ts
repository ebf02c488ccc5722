import { authRouter } from "./routers/auth";
import { reportsRouter } from "./routers/reports";
import { usersRouter } from "./routers/users";
import { router } from "./trpc/init";

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  reports: reportsRouter,
});

export type AppRouter = typeof appRouter;
