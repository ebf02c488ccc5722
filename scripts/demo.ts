/**
 * `pnpm demo`: everything `pnpm start` runs, plus the provider simulator as a
 * WhatsApp number, so a newcomer sees messages flow without any WhatsApp
 * account. Creates (once) a simulated Meta number, a demo operator and a
 * tabulation, then a simulated customer writes every DEMO_EVERY seconds.
 */
import { createCoreContext, createInstance, createTabulation, createUser, DomainError } from "@elsehu/core";
import { connect, serviceInstances } from "@elsehu/db";
import { startSimulator } from "@elsehu/providers/simulator";
import { eq } from "drizzle-orm";
import { demoFeedSince } from "./demo-feed";
import { exitOnSignal, runAll } from "./run-all";

const PHONE_NUMBER_ID = "100000000000001";
const APP_SECRET = "demo-app-secret";
const OPERATOR = { email: "operador@elsehu.local", password: "operador-demo" };
const CUSTOMERS = [
  { from: "+55 11 98765-4321", name: "Maria Souza", body: "Olá! Meu pedido ainda não chegou." },
  { from: "+55 21 99876-5432", name: "João Pereira", body: "Bom dia, quero trocar um produto." },
  { from: "+55 31 98123-4567", name: "Ana Lima", body: "Vocês entregam no sábado?" },
];

async function ignoreConflict(work: () => Promise<unknown>) {
  try {
    await work();
  } catch (err) {
    if (!(err instanceof DomainError && err.code === "CONFLICT")) throw err;
  }
}

async function main() {
  // The simulator listens on this machine: let numbers point at it (the console too).
  process.env.ALLOW_PRIVATE_PROVIDER_URLS ??= "true";
  const app = await runAll({ buildWeb: true });
  const sim = await startSimulator({
    port: Number(process.env.SIMULATOR_PORT ?? 4010),
    meta: { webhookUrl: `${app.api.url}/webhooks/meta`, appSecret: APP_SECRET, phoneNumberId: PHONE_NUMBER_ID },
  });
  const database = connect(app.databaseUrl, { max: 2, applicationName: "elsehu-demo" });
  const core = createCoreContext(database, app.log, app.config);
  // The seeded admin is the author of what the demo creates (audit log).
  const [admin] = await core.sql<{ id: string; name: string }[]>`
    select id, name from users where role = 'ADMIN' and active order by created_at limit 1`;
  if (!admin) throw new Error("no active admin: run `pnpm db:seed`");
  const system = { id: admin.id, role: "ADMIN" as const, name: admin.name };
  const [existing] = await core.db
    .select({ id: serviceInstances.id })
    .from(serviceInstances)
    .where(eq(serviceInstances.metaPhoneNumberId, PHONE_NUMBER_ID));
  if (existing) {
    // The simulator may listen on another port than last time.
    await core.sql`update service_instances set config = config || ${JSON.stringify({ baseUrl: sim.url })}::jsonb
      where id = ${existing.id}`;
  } else {
    await createInstance(core, system, {
      provider: "META",
      name: "Número de demonstração (simulador)",
      config: { phoneNumberId: PHONE_NUMBER_ID, baseUrl: sim.url },
      secrets: { accessToken: "demo-access-token", appSecret: APP_SECRET, verifyToken: "demo-verify-token" },
    });
  }
  await ignoreConflict(() =>
    createUser(core, null, { name: "Operador Demo", ...OPERATOR, role: "OPERATOR", maxConcurrent: 5 }),
  );
  await ignoreConflict(() => createTabulation(core, system, { name: "Resolvido" }));
  console.log(`Provider simulator (Meta Cloud API) at ${sim.url}`);
  console.log(`Demo operator: ${OPERATOR.email} / ${OPERATOR.password} — sign in to receive the conversations.`);
  let n = 0;
  const every = Number(process.env.DEMO_EVERY ?? 20) * 1000;
  const timer = setInterval(() => {
    const customer = CUSTOMERS[n++ % CUSTOMERS.length];
    if (!customer) return;
    console.log(`Cliente ${customer.name} (${customer.from}) escreveu: “${customer.body}”`);
    void sim.injectInbound("META", { ...customer, type: "text" });
  }, every);
  // Assignments and replies, as they happen.
  let since = new Date();
  let looking = false;
  const feed = setInterval(() => {
    if (looking) return;
    looking = true;
    demoFeedSince(core, since)
      .finally(() => {
        looking = false;
      })
      .then(
        (lines) => {
          for (const l of lines) console.log(l.text);
          since = lines.at(-1)?.at ?? since;
        },
        (err: unknown) => console.error(`demo: ${err instanceof Error ? err.message : err}`),
      );
  }, 1000);
  exitOnSignal(app.shutdown, async () => {
    clearInterval(timer);
    clearInterval(feed);
    await sim.close();
    await database.close();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
