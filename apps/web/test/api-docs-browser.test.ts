import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "./browser";
import { type BrowserStack, startBrowserStack } from "./browser-stack";

/**
 * The integrator's docs page in a real browser with no way out: every request to
 * another host is aborted, so the reference renders only if the API serves all of it
 * itself (Scalar's bundle included) under the page's own CSP.
 */
let stack: BrowserStack;

beforeAll(async () => {
  stack = await startBrowserStack({ worker: false, web: false });
});
afterAll(() => stack?.close());

describe("the API reference at /api/docs", () => {
  it("renders the operations from the API's own copy of Scalar, offline and within its CSP", async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 800 } });
    // The 5 MB bundle parses slowly on a busy machine.
    context.setDefaultTimeout(40_000);
    const origin = new URL(stack.url).origin;
    const outside: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      outside.push(url);
      return route.abort("internetdisconnected");
    });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy/i.test(m.text())) refused.push(m.text());
    });

    const res = await page.goto(`${stack.url}/api/docs`);
    expect(res?.status()).toBe(200);
    // An operation's summary and its path, as the reference lists them.
    await page.getByText("Send a text").first().waitFor();
    await page.getByText("/messages/text").first().waitFor();
    await screenshot(page, "api-docs");

    expect(outside).toEqual([]);
    expect(refused).toEqual([]);
    await context.close();
  }, 90_000);
});
