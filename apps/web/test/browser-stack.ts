import { rmSync } from "node:fs";
import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { launchChromium, login } from "./browser";
import { buildWeb } from "./build-web";

/** The Meta number the simulator plays (`meta` option). */
export const PNID = "109876543210987";
export const APP_SECRET = "meta-app-secret-123";
export const EVO_SECRET = "evolution-webhook-secret-0123456789";
/** The two screens the console must work on. */
export const SIZES = [
  { name: "desktop", width: 1280, height: 860 },
  { name: "phone", width: 390, height: 844 },
] as const;
/** A screen: its height is 800 unless given. */
export type Size = { width: number; height?: number };
export type TestUser = Awaited<ReturnType<typeof userWithToken>>;
type StackOptions = NonNullable<Parameters<typeof startStack>[0]>;

export type BrowserStackOptions = {
  /** A graphile-worker too (default: yes). */
  worker?: boolean;
  api?: StackOptions["api"];
  config?: StackOptions["config"];
  /** Build the console and serve it from the API (default: yes). */
  web?: boolean;
  /** The name of the admin made for the file (default "Ana Admin"). */
  admin?: string;
  /** A provider simulator playing Meta number PNID, added to the console under this name. */
  meta?: string;
  /** The simulator plays an Evolution server with this instance, added to the console as `name` when given. */
  evolution?: { instance: string; name?: string };
  /** Extra Chromium switches (a fake microphone…). */
  chromium?: string[];
  /** How long a page waits for what it looks for before failing (default 20 s). */
  timeout?: number;
};

/** A test file's apps and browser; `close` ends all of it, the pages included. */
export type BrowserStack = Stack & {
  /** The simulator (only with `meta` or `evolution`). */
  readonly sim: Simulator;
  browser: Browser;
  /** The folder of the console's build ("" without `web`). */
  dist: string;
  admin: TestUser;
  /** The ids of the numbers added for `meta` and `evolution`. */
  instances: { meta?: string; evolution?: string };
  /** A pt-BR browser context of `size` (set up by `prepare`), on the console's sign-in screen. */
  newPage(size?: Size, prepare?: (context: BrowserContext) => Promise<void>): Promise<Page>;
  /** `newPage`, signed in as `user`. */
  signedIn(
    user: { email: string; password: string },
    size?: Size,
    prepare?: (context: BrowserContext) => Promise<void>,
  ): Promise<Page>;
  /** An operator alone online (the others paused), so the customer's conversation comes to him. */
  onlineOperator(
    name: string,
    size: Size,
    prepare?: (context: BrowserContext) => Promise<void>,
  ): Promise<{ op: TestUser; page: Page }>;
  /** Waits until the worker has applied every provider webhook received so far. */
  webhooksApplied(): Promise<void>;
};

/**
 * Starts what a browser test needs: the console built and served by a real API (and worker) on a
 * private database, the provider simulator with its numbers added when asked, an admin, and
 * Chromium. If a step fails, what was started is closed before the error goes on.
 */
export async function startBrowserStack(opts: BrowserStackOptions = {}): Promise<BrowserStack> {
  let sim: Simulator | undefined;
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let dist: string | undefined;
  const contexts: BrowserContext[] = [];
  // In the order the original files closed them: the pages and browser, the simulator, then the apps.
  const close = async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await sim?.close();
    await stack?.close();
    // The stack removes the build when it closes; without a stack, it is removed here.
    if (!stack && dist) rmSync(dist, { recursive: true, force: true });
  };
  try {
    dist = opts.web === false ? undefined : await buildWeb();
    if (opts.meta || opts.evolution) {
      sim = await startSimulator({
        ...(opts.meta ? { meta: { appSecret: APP_SECRET, phoneNumberId: PNID } } : {}),
        ...(opts.evolution ? { evolution: { instanceName: opts.evolution.instance } } : {}),
        statusDelayMs: 30,
      });
    }
    const started = await startStack({
      worker: opts.worker,
      removeOnClose: dist ? [dist] : [],
      api: { ...(dist ? { webDist: dist } : {}), ...opts.api },
      // A provider call to the simulator that hangs fails in 5 s, not the production default.
      config: { ...(sim ? { providerTimeoutMs: 5000 } : {}), ...opts.config },
    });
    stack = started;
    // Where Evolution is told to post webhooks when a number is added.
    started.config.publicUrl = started.url;
    const admin = await userWithToken(started, "ADMIN", { name: opts.admin ?? "Ana Admin" });
    const instances = sim ? await addNumbers(started, sim, admin, opts) : {};
    const chromium = await launchChromium(opts.chromium);
    browser = chromium;

    const newPage: BrowserStack["newPage"] = async (size = { width: 1280 }, prepare) => {
      const context = await chromium.newContext({
        locale: "pt-BR",
        viewport: { width: size.width, height: size.height ?? 800 },
      });
      context.setDefaultTimeout(opts.timeout ?? 20_000);
      contexts.push(context);
      await prepare?.(context);
      const page = await context.newPage();
      await page.goto(started.url);
      return page;
    };
    const signedIn: BrowserStack["signedIn"] = async (user, size, prepare) => {
      const page = await newPage(size, prepare);
      await login(page, user.email, user.password);
      return page;
    };
    const simulator = sim;
    return {
      ...started,
      get sim() {
        if (!simulator) throw new Error("This browser stack has no simulator: start it with `meta` or `evolution`.");
        return simulator;
      },
      browser: chromium,
      dist: dist ?? "",
      admin,
      instances,
      newPage,
      signedIn,
      onlineOperator: async (name, size, prepare) => {
        const op = await userWithToken(started, "OPERATOR", { name });
        const page = await signedIn(op, size, prepare);
        await page.getByRole("heading", { name: "Atendimentos", exact: true }).waitFor();
        await expect.poll(async () => (await op.client.presence.me.query()).presence).toBe("ONLINE");
        return { op, page };
      },
      webhooksApplied: () =>
        expect
          .poll(async () => (await started.core.sql`select 1 from webhook_events where processed_at is null`).length, {
            timeout: 60_000,
          })
          .toBe(0),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Adds the simulator's numbers to the console, as the admin, and points its webhooks at the API. */
async function addNumbers(stack: Stack, sim: Simulator, admin: TestUser, opts: BrowserStackOptions) {
  const instances: BrowserStack["instances"] = {};
  if (opts.meta) {
    const meta = await admin.client.instances.create.mutate({
      provider: "META",
      name: opts.meta,
      config: { phoneNumberId: PNID, wabaId: "102938475610293", baseUrl: sim.url },
      secrets: { accessToken: "meta-access-token-xyz", appSecret: APP_SECRET, verifyToken: "verify-token-abc" },
    });
    instances.meta = meta.id;
    sim.setWebhookTarget("META", { url: `${stack.url}/webhooks/meta`, appSecret: APP_SECRET });
  }
  if (opts.evolution?.name) {
    const evolution = await admin.client.instances.create.mutate({
      provider: "EVOLUTION",
      name: opts.evolution.name,
      config: { baseUrl: sim.url, instanceName: opts.evolution.instance },
      secrets: { apiKey: "evolution-api-key", webhookSecret: EVO_SECRET },
    });
    instances.evolution = evolution.id;
    sim.setWebhookTarget("EVOLUTION", {
      url: `${stack.url}${evolution.webhookPath}`,
      headers: { "x-webhook-secret": EVO_SECRET },
    });
  }
  return instances;
}
