/** `pnpm start`: database, migrations, seed, one API (serving the console) and one worker. */
import { exitOnSignal, runAll } from "./run-all";

runAll({ buildWeb: !process.argv.includes("--no-web") }).then(
  (app) => exitOnSignal(app.shutdown),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
