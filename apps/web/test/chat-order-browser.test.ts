import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, login } from "./browser";
import { buildWeb } from "./build-web";
import { chatLog, openChat } from "./console-kinds-steps";
import { customerSays } from "./message-kinds-payloads";

/**
 * WhatsApp stamps messages to the second: a customer's burst shares one timestamp. The chat
 * keeps such messages in one order (by id) whether they arrive live, one by one, or are read
 * back from the server after a reload, and paging through them loses or repeats none.
 */
const PNID = "109876543210987";
const APP_SECRET = "meta-app-secret-123";

let sim: Simulator;
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  const dist = await buildWeb();
  sim = await startSimulator({ meta: { appSecret: APP_SECRET, phoneNumberId: PNID }, statusDelayMs: 30 });
  stack = await startStack({
    worker: true,
    removeOnClose: [dist],
    api: { webDist: dist },
    config: { providerTimeoutMs: 5000 },
  });
  const admin = await userWithToken(stack, "ADMIN");
  await admin.client.instances.create.mutate({
    provider: "META",
    name: "Loja Meta",
    config: { phoneNumberId: PNID, wabaId: "102938475610293", baseUrl: sim.url },
    secrets: { accessToken: "meta-access-token-xyz", appSecret: APP_SECRET, verifyToken: "verify-token-abc" },
  });
  sim.setWebhookTarget("META", { url: `${stack.url}/webhooks/meta`, appSecret: APP_SECRET });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await sim?.settled();
  await sim?.close();
  await stack?.close();
});

/** The bodies of the burst, top to bottom, as the chat shows them. */
const shown = (page: Page) =>
  chatLog(page)
    .locator(".msg-text")
    .allTextContents()
    .then((texts) => texts.filter((t) => t.startsWith("Parte ")));

describe("messages with the same timestamp", { timeout: 120_000 }, () => {
  it("keep one order, by id, live and after a reload", async () => {
    const op = await userWithToken(stack, "OPERATOR", { name: "Operadora Ordem" });
    const context = await browser.newContext({ locale: "pt-BR", viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(stack.url);
    await login(page, op.email, op.password);
    await expect.poll(async () => (await op.client.presence.me.query()).presence).toBe("ONLINE");
    const customer = "+5511987650001";
    await sim.injectInbound("META", { from: customer, name: "Rita Rajada", body: "Oi" });
    await openChat(page, "Rita Rajada");
    await chatLog(page).getByText("Oi", { exact: true }).waitFor();

    // Five messages stamped with the same second, each in its own webhook: each one merges live.
    const say = customerSays(PNID, customer, "Rita Rajada");
    const second = String(Math.floor(Date.now() / 1000) + 1);
    for (let n = 1; n <= 5; n++) {
      await sim.postWebhook(
        "META",
        say.envelope([{ ...say.text(`wamid.ORDER-${n}`, `Parte ${n}`), timestamp: second }]),
      );
      await chatLog(page).getByText(`Parte ${n}`, { exact: true }).waitFor();
    }
    const rows = await stack.core.sql<{ body: string; conversation_id: string; at: string }[]>`
      select body, conversation_id, created_at::text as at from messages where body like 'Parte %' order by id`;
    expect(new Set(rows.map((r) => r.at)).size).toBe(1);
    const byId = rows.map((r) => r.body);
    await expect.poll(() => shown(page)).toEqual(byId);

    // The server's order, read back after a reload, is the same.
    await page.reload();
    await openChat(page, "Rita Rajada");
    await expect.poll(() => shown(page)).toEqual(byId);

    // Paging two by two through the tie: every message once, newest first, ties by id descending.
    const conversationId = rows[0]?.conversation_id ?? "";
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page2 = await op.client.messages.list.query({ conversationId, cursor, limit: 2 });
      seen.push(...page2.items.map((m) => m.body ?? ""));
      cursor = page2.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.filter((b) => b.startsWith("Parte "))).toEqual([...byId].reverse());
    await context.close();
  });
});
