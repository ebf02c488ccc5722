/**
 * `pnpm user:set-password <email>`: sets a user's password from the terminal (a lost generated admin
 * password, a locked-out admin). The password is read from standard input, never from the command line
 * (it would stay in the shell history): typed at a prompt, or piped (`echo 'nova-senha' | pnpm user:set-password
 * admin@elsehu.local`). Every session of the user ends.
 */
import { createInterface } from "node:readline";
import { createLogger, loadApiEnv, loadDotEnvFile } from "@elsehu/api";
import {
  coreConfigFromEnv,
  createCoreContext,
  DomainError,
  resolveDatabase,
  SetPasswordFromTerminalInput,
  setPasswordFromTerminal,
} from "@elsehu/core";
import { connect, migrate } from "@elsehu/db";

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    // Echo nothing of what is typed after the prompt.
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    out._writeToOutput = (s: string) => {
      if (s.startsWith("New password")) out.output.write(s);
    };
  }
  const answer = await new Promise<string>((resolve) => {
    rl.question("New password (min 8 characters): ", resolve);
    rl.once("close", () => resolve(""));
  });
  rl.close();
  if (process.stdin.isTTY) process.stdout.write("\n");
  return answer.replace(/\r?\n$/, "");
}

async function main() {
  const email = process.argv[2];
  if (!email || email.startsWith("-")) {
    console.error("Usage: npx -y pnpm@10.34.8 user:set-password <email>   (the password is read from standard input)");
    process.exit(2);
  }
  loadDotEnvFile();
  const env = loadApiEnv();
  const input = SetPasswordFromTerminalInput.safeParse({ email, password: await readPassword() });
  if (!input.success) {
    console.error(input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    process.exit(2);
  }
  const db = await resolveDatabase(env);
  await migrate(db.url);
  const database = connect(db.url, { max: 2, applicationName: "elsehu-set-password" });
  try {
    const core = createCoreContext(database, createLogger("warn"), coreConfigFromEnv(env));
    const user = await setPasswordFromTerminal(core, input.data);
    console.log(`Password of ${user.email} (${user.role}) changed; their sessions were ended.`);
    if (!user.active) console.log(`Note: ${user.email} is deactivated and cannot sign in until reactivated.`);
  } finally {
    await database.close();
    await db.stop?.();
  }
}

main().catch((err: unknown) => {
  if (err instanceof DomainError) console.error(err.message);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
