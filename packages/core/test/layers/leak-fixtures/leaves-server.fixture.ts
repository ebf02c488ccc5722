import { createServer } from "node:http";
import { it } from "vitest";

it("leaves a server listening", async () => {
  const server = createServer((_, res) => res.end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
});
