import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { join } from "node:path";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

export function fixture(provider: "meta" | "evolution", name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, provider, `${name}.json`), "utf8")) as Record<string, unknown>;
}

export function fixtureNames(provider: "meta" | "evolution", prefix: string): string[] {
  return readdirSync(join(FIXTURES, provider))
    .filter((file) => file.startsWith(prefix))
    .map((file) => file.replace(/\.json$/, ""));
}

/** The `body` of a wrapped request/response fixture. */
export function bodyOf(provider: "meta" | "evolution", name: string): unknown {
  return fixture(provider, name).body;
}

export interface CapturedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: unknown;
}

export interface TestServer {
  url: string;
  requests: CapturedRequest[];
  /** Next responses to serve, in order; the last one repeats. */
  respond(status: number, body: unknown): void;
  close(): Promise<void>;
}

/** A tiny HTTP server on port 0 that records requests and answers with canned fixtures. */
export async function startTestServer(): Promise<TestServer> {
  const requests: CapturedRequest[] = [];
  let reply: { status: number; body: unknown } = { status: 200, body: {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      let json: unknown = null;
      try {
        json = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : null;
      } catch {
        json = null;
      }
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, raw, json });
      res.writeHead(reply.status, { "content-type": "application/json" });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond: (status, body) => {
      reply = { status, body };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls until `check` passes (webhooks arrive asynchronously). */
export async function eventually(check: () => void, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
