import { authRouter } from "./routers/auth";
import { instancesRouter } from "./routers/instances";
import { messagesRouter } from "./routers/messages";
import { usersRouter } from "./routers/users";
import { router } from "./trpc/init";

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  instances: instancesRouter,
  messages: messagesRouter,
});

export type AppRouter = typeof appRouter;
