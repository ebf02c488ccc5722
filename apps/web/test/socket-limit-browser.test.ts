import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserStack, startBrowserStack } from "./browser-stack";

/**
 * WS_MAX_SOCKETS_PER_USER seen from the console: with a cap of one socket, an
 * operator's second device is told why it gets no live updates (not just
 * "reconnecting"), while the first keeps working; once the first closes, the
 * second connects by itself and the notice goes away.
 */
let stack: BrowserStack;
const TOO_MANY = /abas ou aparelhos demais/;

beforeAll(async () => {
  stack = await startBrowserStack({ worker: false, api: { wsLimits: { socketsPerUser: 1 } }, timeout: 15_000 });
});
afterAll(() => stack?.close());

async function device(user: { email: string; password: string }, width: number) {
  const page = await stack.signedIn(user, { width });
  await page.getByRole("heading", { name: "Atendimentos", exact: true }).waitFor();
  return { page, context: page.context() };
}

describe("too many sockets", () => {
  it("tells the operator's extra device why it is not live, and clears once a socket is free", async () => {
    const op = await userWithToken(stack, "OPERATOR", { name: "Otávio Abas" });
    const first = await device(op, 1280);
    // The first device holds the one socket its user may have.
    await expect.poll(() => stack.api.deps.sockets.countFor(op.user.id), { timeout: 15_000 }).toBe(1);
    const second = await device(op, 390);
    // A loaded CI took over 15 s to bring the second device's socket up to its refusal.
    await second.page.getByRole("status").filter({ hasText: TOO_MANY }).waitFor({ timeout: 30_000 });
    expect(await first.page.getByRole("status").filter({ hasText: TOO_MANY }).count()).toBe(0);

    await first.context.close();
    await second.page.getByRole("status").filter({ hasText: TOO_MANY }).waitFor({ state: "detached", timeout: 30_000 });
    await expect.poll(() => stack.api.deps.sockets.countFor(op.user.id), { timeout: 15_000 }).toBe(1);
  });
});
