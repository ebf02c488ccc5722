import { authRouter } from "./routers/auth";
import { contactsRouter } from "./routers/contacts";
import { usersRouter } from "./routers/users";
import { router } from "./trpc/init";

export const appRouter = router({
  auth: authRouter,
  contacts: contactsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
