import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { expect, it } from "vitest";

// The positive control: the same server, timer, connection and folder, each closed or removed.
it("closes everything it opens", async () => {
  const server = createServer((_, res) => res.end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("ok");
  await new Promise<void>((r) => server.close(() => r()));
  server.closeAllConnections();
  clearInterval(setInterval(() => {}, 1000));
  const sql = postgres(process.env.LEAK_FIXTURE_DATABASE_URL ?? "", { max: 1 });
  expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
  await sql.end();
  rmSync(mkdtempSync(join(tmpdir(), "elsehu-fixture-")), { recursive: true });
});
