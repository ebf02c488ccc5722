import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { silentLog, startWorker, type WorkerHandle } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVO_INSTANCE, messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * LGPD erasure of what is still in flight. With no worker running, a customer's
 * webhooks wait in the inbox and a contacts import is RUNNING when an admin erases
 * him. When a worker starts, the webhooks are applied (no message is lost, other
 * customers' included), but the bodies that named him are emptied as they settle,
 * and the import deletes its CSV when it ends.
 */
let p: Pipeline;
let worker: WorkerHandle | undefined;

const DIGITS = "5511976543322";
const NEEDLE = "76543322";
const OTHER = "5511955557777";

beforeAll(async () => {
  p = await startPipeline({ worker: false });
});
afterAll(async () => {
  await worker?.stop();
  await p.close();
});

async function storageFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await storageFiles(path)));
    else out.push(path);
  }
  return out;
}

describe("LGPD erasure while webhooks and an import are in flight", () => {
  it("empties the pending bodies that name him once applied, and deletes the running import's CSV when it ends", async () => {
    const contact = await p.admin.client.contacts.create.mutate({ name: "Cliente Apagado", phone: `+${DIGITS}` });
    await p.sim.injectInbound("META", {
      from: DIGITS,
      name: "Cliente Apagado",
      body: "mensagem em voo",
      id: "wamid.FLY-1",
    });
    await p.sim.injectInbound("META", { from: OTHER, name: "Outra Cliente", body: "outra em voo", id: "wamid.FLY-2" });
    await p.sim.injectInbound("EVOLUTION", {
      from: DIGITS,
      name: "Cliente Apagado",
      body: "evo em voo",
      instanceName: EVO_INSTANCE,
    });
    await p.sim.settled();
    const pending = await p.stack.core.sql<{ n: number }[]>`
      select count(*)::int as n from webhook_events where processed_at is null and body like ${`%${NEEDLE}%`}`;
    expect(pending[0]?.n).toBe(2);

    const upload = await fetch(`${p.stack.url}/uploads/contacts-csv?name=em-curso.csv`, {
      method: "POST",
      headers: { authorization: `Bearer ${p.admin.token}`, "content-type": "text/csv" },
      body: `nome;telefone\nCliente Apagado;+${DIGITS}\nOutro Importado;+5511955558888\n`,
    });
    expect(upload.status).toBe(201);
    const { importId } = (await upload.json()) as { importId: string };
    await p.admin.client.contacts.import.mutate({ importId });
    expect((await p.admin.client.contacts.importStatus.query({ id: importId })).status).toBe("RUNNING");
    const csvBefore = (await storageFiles(p.stack.config.storagePath)).filter((f) => f.includes("/imports/"));
    expect(csvBefore.length).toBe(1);

    await p.admin.client.contacts.delete.mutate({ id: contact.id });

    worker = await startWorker({
      databaseUrl: p.stack.databaseUrl,
      log: silentLog,
      config: p.stack.config,
      pollIntervalMs: 200,
      cron: false,
    });
    // Nothing is lost: both customers' messages are applied.
    await until(() => messageByProviderId(p.stack, "wamid.FLY-1"), 60_000);
    await until(() => messageByProviderId(p.stack, "wamid.FLY-2"), 60_000);
    await until(async () => {
      const [r] = await p.stack.core.sql`select 1 from messages where body = 'evo em voo'`;
      return r;
    }, 60_000);
    await until(async () => {
      const s = await p.admin.client.contacts.importStatus.query({ id: importId });
      return s.status === "COMPLETED" && s;
    }, 60_000);

    // The batch marks its webhooks processed when its claim commits, just after their messages.
    await until(async () => {
      const [r] = await p.stack.core.sql`select 1 from webhook_events where processed_at is null`;
      return !r;
    }, 60_000);
    const settled = await p.stack.core.sql<{ pending: number; naming: number; emptied: number; kept: number }[]>`
      select count(*) filter (where processed_at is null)::int as pending,
        count(*) filter (where body like ${`%${NEEDLE}%`})::int as naming,
        count(*) filter (where body = '')::int as emptied,
        count(*) filter (where body like ${`%${OTHER}%`})::int as kept
      from webhook_events`;
    // Meta posts each injected message on its own: his two bodies are emptied, the other customer's is kept.
    expect(settled[0]).toEqual({ pending: 0, naming: 0, emptied: 2, kept: 1 });
    const csvAfter = (await storageFiles(p.stack.config.storagePath)).filter((f) => f.includes("/imports/"));
    expect(csvAfter).toEqual([]);
  });
});
