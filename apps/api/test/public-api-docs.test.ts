import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { createApiToken } from "@elsehu/core";
import { startStack } from "@elsehu/testing";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicApiRouter } from "../src/public-api/router";
import { messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";
import { api, apiToken } from "./public-api-helpers";

const run = promisify(execFile);
let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline();
});
afterAll(async () => {
  await p.close();
});

/** "METHOD /path" of every REST route the router declares, plus the CSV export mounted beside it. */
function declaredRoutes(): string[] {
  const procedures = publicApiRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: { openapi?: { method: string; path: string } } } }
  >;
  const routes = Object.values(procedures).map((proc) => {
    const o = proc._def.meta?.openapi;
    if (!o) throw new Error("a public API procedure without a route");
    return `${o.method} ${o.path}`;
  });
  return [...routes, "GET /reports/finished.csv"].sort();
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 and documents exactly the routes the server answers", async () => {
    const res = await fetch(`${p.stack.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(declaredRoutes());
    expect(documented).toHaveLength(16);
    // Each one is served: without a token it is refused for the token, never "no such route".
    for (const route of documented) {
      const [method, path] = route.split(" ") as [string, string];
      const url = path.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000");
      const answer = await api(p.stack, undefined, method, url, method === "GET" ? undefined : {});
      expect({ route, status: answer.status, reason: answer.body.reason }).toEqual({
        route,
        status: 401,
        reason: "API_TOKEN_INVALID",
      });
    }
  });

  it("is browsable at /api/docs under its own CSP: the page's scripts carry its nonce", async () => {
    const res = await fetch(`${p.stack.url}/api/docs`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(html).toContain("/api/v1/openapi.json");
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // Scalar's bundle comes from this server: the page names no other host, nor does its CSP.
    expect(scripts.some((tag) => tag.includes('src="/api/docs/scalar.js"'))).toBe(true);
    expect(csp).not.toMatch(/https?:/);
    const bundle = await fetch(`${p.stack.url}/api/docs/scalar.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("javascript");
    expect(await bundle.text()).toContain("createApiReference");
  });
});

describe("docs/api.md", () => {
  it("every curl example runs against a real server and succeeds", async () => {
    await p.sim.injectInbound("META", { from: "+5511988880009", body: "Oi", id: "wamid.DOCS-IN", name: "Rita" });
    const conversationId = (await until(() => messageByProviderId(p.stack, "wamid.DOCS-IN"))).conversation_id;
    const template = await p.admin.client.templates.create.mutate({
      name: "Docs",
      body: "Olá {{1}}",
      instanceId: p.meta.id,
      meta: {
        name: "ola_docs",
        language: "pt_BR",
        components: [{ type: "body", parameters: [{ type: "text", text: "{{1}}" }] }],
      },
    });
    const { token } = await apiToken(p.admin, [
      "messages:send",
      "contacts:read",
      "contacts:write",
      "conversations:read",
      "reports:read",
    ]);
    const markdown = readFileSync(resolve(__dirname, "../../../docs/api.md"), "utf8");
    const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const env = {
      ...process.env,
      ELSEHU_URL: p.stack.url,
      ELSEHU_TOKEN: token,
      CONVERSATION_ID: conversationId,
      INSTANCE_ID: p.meta.id,
      TEMPLATE_ID: template.id,
    };
    const outbound = async () =>
      (await p.stack.core.sql`select count(*)::int as n from messages where direction = 'OUT'`)[0]?.n;
    for (const block of blocks) {
      // Any HTTP error fails the example.
      const script = `set -e\ncurl() { command curl --fail-with-body "$@"; echo; }\n${block}`;
      const { stdout } = await run("bash", ["-c", script], { env });
      for (const line of stdout.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(await outbound()).toBe(2);
    const [contact] = await p.stack.core.sql`select name from contacts where phone = '+5511988880001'`;
    expect(contact?.name).toBe("Maria Souza");
  });
});

describe("rate limit per token", () => {
  it("answers 429 with Retry-After once a token used its minute, while another token goes on", async () => {
    const stack = await startStack({
      worker: false,
      api: { rateLimits: { userPerMinute: 1200, ipPerMinute: 3000, webhookPerMinute: 1000, apiPerMinute: 3 } },
    });
    try {
      const [admin] = await stack.core.sql<{ id: string }[]>`
        insert into users (name, email, password_hash, role) values ('Admin', 'a@x.local', 'x', 'ADMIN') returning id`;
      const actor = { id: admin?.id ?? "", role: "ADMIN" as const, name: "Admin" };
      const one = await createApiToken(stack.core, actor, { name: "um", scopes: ["contacts:read"] });
      const two = await createApiToken(stack.core, actor, { name: "dois", scopes: ["contacts:read"] });
      const remaining = [];
      for (let i = 0; i < 3; i++) {
        const r = await api(stack, one.token, "GET", "/contacts");
        expect(r.status).toBe(200);
        remaining.push(r.headers.get("ratelimit-remaining"));
      }
      expect(remaining).toEqual(["2", "1", "0"]);
      const limited = await api(stack, one.token, "GET", "/contacts");
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ reason: "RATE_LIMITED" });
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(limited.headers.get("ratelimit-remaining")).toBe("0");
      expect((await api(stack, two.token, "GET", "/contacts")).status).toBe(200);
    } finally {
      await stack.close();
    }
  });
});
