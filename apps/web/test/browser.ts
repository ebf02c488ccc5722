import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { repoRoot } from "./build-web";

export const screensDir = join(repoRoot, "test-artifacts", "screens");

/** Debian's chromium (installed by .ci/run), headless and quiet; `extraArgs` add switches (a fake microphone…). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(
      `The browser tests need Chromium, and there is none at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable.`,
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...extraArgs,
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  await page.screenshot({ path: join(screensDir, `${name}.png`), fullPage: true });
}

export async function login(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("E-mail", { exact: true }).fill(email);
  await page.getByLabel("Senha", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Entrar" }).click();
}

/** The labels of the main navigation, once it is shown. */
export async function navLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: "Navegação principal" });
  await nav.waitFor();
  return nav.getByRole("link").allTextContents();
}

/**
 * The chat is virtualized: only what is on screen is in the page. Scrolls it, top to
 * bottom and around again, until `target` is there, and returns it.
 */
export async function reveal(page: Page, target: Locator): Promise<Locator> {
  await expect
    .poll(async () => {
      // Found, and brought on screen before the virtualizer swaps it out again (a re-render under load
      // did); if it was swapped out, the next round scrolls to it again. Never found: the poll fails.
      if ((await target.count()) > 0) {
        const shown = await target.scrollIntoViewIfNeeded({ timeout: 3_000 }).then(
          () => true,
          () => false,
        );
        if (shown) return true;
      }
      await page.locator(".msg-scroll").evaluate((el) => {
        el.scrollTop = el.scrollTop + el.clientHeight >= el.scrollHeight - 1 ? 0 : el.scrollTop + el.clientHeight / 2;
      });
      return false;
    })
    .toBe(true);
  return target;
}

/**
 * Opens a screen from the main navigation. On a staff phone the navigation is collapsed behind
 * "Menu": opens it first (choosing the screen closes it again).
 */
export async function goTo(page: Page, label: string): Promise<void> {
  await page.getByRole("button", { name: "Sair" }).waitFor();
  const menu = page.getByRole("button", { name: "Menu", exact: true });
  if ((await menu.isVisible()) && (await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
  await page
    .getByRole("navigation", { name: "Navegação principal" })
    .getByRole("link", { name: label, exact: true })
    .click();
}

/**
 * Clicks an action of the chat's header (Cliente, Transferir, Encerrar…). Where the chat is
 * narrow (a phone) they sit in its "Mais ações" menu: opens it first.
 */
export async function chatAction(page: Page, name: string): Promise<void> {
  const header = page.locator("#main .chat-header").first();
  await header.waitFor();
  const more = header.getByRole("button", { name: "Mais ações" });
  if ((await more.isVisible()) && (await more.getAttribute("aria-expanded")) !== "true") await more.click();
  await header.getByRole("button", { name, exact: true }).click();
}
