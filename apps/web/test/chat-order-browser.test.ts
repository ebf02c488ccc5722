import { userWithToken } from "@elsehu/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserStack, PNID, startBrowserStack } from "./browser-stack";
import { chatLog, openChat } from "./console-kinds-steps";
import { customerSays } from "./message-kinds-payloads";

/**
 * WhatsApp stamps messages to the second: a customer's burst shares one timestamp. The chat
 * keeps such messages in the order they came (messages.seq) whether they arrive live, one by
 * one, or are read back from the server after a reload, and paging through them loses or repeats none.
 */
let stack: BrowserStack;

beforeAll(async () => {
  stack = await startBrowserStack({ meta: "Loja Meta" });
});
afterAll(() => stack?.close());

/** The bodies of the burst, top to bottom, as the chat shows them. */
const shown = (page: Page) =>
  chatLog(page)
    .locator(".msg-text")
    .allTextContents()
    .then((texts) => texts.filter((t) => t.startsWith("Parte ")));

describe("messages with the same timestamp", { timeout: 120_000 }, () => {
  it("keep the order they came in, live and after a reload", async () => {
    const op = await userWithToken(stack, "OPERATOR", { name: "Operadora Ordem" });
    const page = await stack.signedIn(op, { width: 1280, height: 860 });
    await expect.poll(async () => (await op.client.presence.me.query()).presence).toBe("ONLINE");
    const customer = "+5511987650001";
    await stack.sim.injectInbound("META", { from: customer, name: "Rita Rajada", body: "Oi" });
    await openChat(page, "Rita Rajada");
    await chatLog(page).getByText("Oi", { exact: true }).waitFor();

    // Five messages stamped with the same second, each in its own webhook: each one merges live.
    const say = customerSays(PNID, customer, "Rita Rajada");
    const second = String(Math.floor(Date.now() / 1000) + 1);
    for (let n = 1; n <= 5; n++) {
      await stack.sim.postWebhook(
        "META",
        say.envelope([{ ...say.text(`wamid.ORDER-${n}`, `Parte ${n}`), timestamp: second }]),
      );
      await chatLog(page).getByText(`Parte ${n}`, { exact: true }).waitFor();
    }
    const rows = await stack.core.sql<{ body: string; conversation_id: string; at: string }[]>`
      select body, conversation_id, created_at::text as at from messages where body like 'Parte %' order by seq`;
    expect(new Set(rows.map((r) => r.at)).size).toBe(1);
    const arrived = rows.map((r) => r.body);
    expect(arrived).toEqual(["Parte 1", "Parte 2", "Parte 3", "Parte 4", "Parte 5"]);
    await expect.poll(() => shown(page)).toEqual(arrived);

    // The server's order, read back after a reload, is the same.
    await page.reload();
    await openChat(page, "Rita Rajada");
    await expect.poll(() => shown(page)).toEqual(arrived);

    // Paging two by two through the tie: every message once, newest first, the last to come first.
    const conversationId = rows[0]?.conversation_id ?? "";
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page2 = await op.client.messages.list.query({ conversationId, cursor, limit: 2 });
      seen.push(...page2.items.map((m) => m.body ?? ""));
      cursor = page2.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.filter((b) => b.startsWith("Parte "))).toEqual([...arrived].reverse());
    await page.context().close();
  });
});
