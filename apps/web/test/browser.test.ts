import { readdirSync } from "node:fs";
import { join } from "node:path";
import { httpClient, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, navLabels, screenshot } from "./browser";
import { type BrowserStack, startBrowserStack, type TestUser } from "./browser-stack";

let stack: BrowserStack;
let dist: string;
let admin: TestUser;

beforeAll(async () => {
  // Fail with the locator that was missing rather than a bare test timeout.
  stack = await startBrowserStack({ worker: false, timeout: 10_000 });
  dist = stack.dist;
  admin = stack.admin;
});
afterAll(() => stack?.close());

/** A new pt-BR context at 1280 px on the sign-in screen; the test closes it. */
async function freshPage() {
  const page = await stack.newPage();
  return { context: page.context(), page };
}

describe("the API serves the built console", () => {
  it("answers assets with their content types, pages with index.html, and leaves API paths alone", async () => {
    const index = await fetch(`${stack.url}/`);
    expect(index.headers.get("content-type")).toMatch(/text\/html/);
    const html = await index.text();
    expect(html).toContain('<div id="root">');

    const script = readdirSync(join(dist, "assets")).find((f) => f.endsWith(".js"));
    const asset = await fetch(`${stack.url}/assets/${script}`, { headers: { "accept-encoding": "gzip" } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toMatch(/immutable/);

    const deepLink = await fetch(`${stack.url}/admin/usuarios`);
    expect(deepLink.headers.get("content-type")).toMatch(/text\/html/);
    expect(await deepLink.text()).toBe(html);

    expect(await (await fetch(`${stack.url}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${stack.url}/assets/missing.js`)).status).toBe(404);
    const unknownApi = await fetch(`${stack.url}/webhooks/nothing-here`);
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get("content-type") ?? "").not.toMatch(/text\/html/);
    const trpc = await fetch(`${stack.url}/trpc/auth.me`);
    expect(trpc.status).toBe(401);
  });
});

// Whole flows in a browser: a loaded 2-core machine takes 20 s for the longest, so allow 90.
describe("console in a real browser", { timeout: 90_000 }, () => {
  it("shows a plain pt-BR error for a wrong password", async () => {
    const { context, page } = await freshPage();
    await login(page, admin.email, "not the password");
    await page.getByRole("alert").getByText("E-mail ou senha inválidos.").waitFor();
    await screenshot(page, "login-error");
    await context.close();
  });

  it("tells a throttled user how many seconds to wait", async () => {
    const victim = await userWithToken(stack, "OPERATOR");
    const anon = httpClient(stack.url);
    for (let i = 0; i < 10; i++)
      await anon.auth.login.mutate({ email: victim.email, password: "wrong pw" }).catch(() => {});
    const { context, page } = await freshPage();
    await login(page, victim.email, victim.password);
    const alert = page.getByRole("alert");
    await alert.getByText(/Muitas tentativas\. Tente novamente em \d+ segundos\./).waitFor();
    await context.close();
  });

  it("lets an admin create an operator on Usuários, who then sees only the operator's navigation", async () => {
    const { context, page } = await freshPage();
    await login(page, admin.email, admin.password);
    await page.getByRole("heading", { name: "Usuários" }).waitFor();
    expect(await navLabels(page)).toEqual(
      expect.arrayContaining(["Fila", "Usuários", "Números", "Modelos", "Tabulações", "Contatos", "Campanhas"]),
    );
    await page.getByRole("cell", { name: admin.email }).waitFor();
    await screenshot(page, "admin-users");

    await page.getByRole("button", { name: "Novo usuário" }).click();
    const dialog = page.getByRole("dialog", { name: "Novo usuário" });
    await dialog.getByLabel("Nome").fill("Olga Operadora");
    await dialog.getByLabel("E-mail").fill("olga@empresa.com.br");
    await dialog.getByLabel("Senha inicial").fill("senha-da-olga");
    await dialog.getByLabel("Perfil").selectOption("OPERATOR");
    await dialog.getByLabel("Máximo de atendimentos simultâneos").fill("3");
    await screenshot(page, "admin-user-create");
    await dialog.getByRole("button", { name: "Criar usuário" }).click();
    const row = page.getByRole("row", { name: /Olga Operadora/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("olga@empresa.com.br");
    expect(await row.textContent()).toContain("Operador");

    // The same e-mail twice is refused with a sentence, not a crash.
    await page.getByRole("button", { name: "Novo usuário" }).click();
    await dialog.getByLabel("Nome").fill("Olga de Novo");
    await dialog.getByLabel("E-mail").fill("olga@empresa.com.br");
    await dialog.getByLabel("Senha inicial").fill("outra-senha-1");
    await dialog.getByRole("button", { name: "Criar usuário" }).click();
    await dialog.getByRole("alert").getByText("Já existe um usuário com este e-mail.").waitFor();
    await dialog.getByRole("button", { name: "Cancelar" }).click();

    await page.getByRole("button", { name: "Sair" }).click();
    await page.getByText("Você saiu da sua conta.").waitFor();
    await login(page, "olga@empresa.com.br", "senha-da-olga");
    await page.getByRole("heading", { name: "Atendimentos" }).waitFor();
    expect(await navLabels(page)).toEqual(["Atendimentos", "Respostas rápidas"]);
    await screenshot(page, "operator-home");

    // An admin link opened by an operator lands on his own home, never on the admin page.
    await page.goto(`${stack.url}/admin/usuarios`);
    await page.getByRole("heading", { name: "Atendimentos" }).waitFor();
    expect(await page.getByRole("heading", { name: "Usuários" }).count()).toBe(0);
    await context.close();
  });

  it("sends the browser back to login when the session is revoked elsewhere, in every tab", async () => {
    const olga = await userWithToken(stack, "OPERATOR", { name: "Paula Operadora" });
    const { context, page } = await freshPage();
    await login(page, olga.email, olga.password);
    await page.getByRole("heading", { name: "Atendimentos" }).waitFor();
    // Neither tab holds a token: both live on the HttpOnly cookie alone (HTTP and WebSocket).
    const second = await context.newPage();
    await second.goto(`${stack.url}/conta`);
    await second.getByRole("heading", { name: "Minha conta" }).waitFor();
    await second.getByRole("heading", { name: "Sessões ativas" }).waitFor();
    await second.getByText("Esta sessão").waitFor();
    await screenshot(second, "account");

    const sessions = await olga.client.auth.sessions.query();
    const browserSession = sessions.find((s) => !s.current);
    expect(browserSession).toBeDefined();
    await olga.client.auth.revokeSession.mutate({ id: browserSession?.id ?? "" });

    for (const p of [page, second]) {
      await p.getByText("Sua sessão foi encerrada em outro dispositivo. Entre novamente.").waitFor();
      await p.getByRole("button", { name: "Entrar" }).waitFor();
    }
    await screenshot(page, "session-ended");
    await context.close();
  });

  it("runs on its HttpOnly cookie alone, no token readable by scripts, under a strict CSP", async () => {
    const sup = await userWithToken(stack, "SUPERVISOR", { name: "Cida Supervisora" });
    const index = await fetch(`${stack.url}/`);
    const csp = index.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");

    const { context, page } = await freshPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.reload();
    await login(page, sup.email, sup.password);
    await page.getByRole("heading", { name: "Fila" }).waitFor();
    for (const label of ["Operadores", "Conversas", "Relatórios", "Fila"]) {
      await page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: label }).click();
      await page.getByRole("heading", { name: label }).first().waitFor();
    }
    const cookie = (await context.cookies()).find((c) => c.name === "elsehu_session");
    expect(cookie?.httpOnly).toBe(true);
    const token = cookie?.value ?? "missing";
    const readable = await page.evaluate(() => ({
      session: JSON.stringify(Object.entries(sessionStorage)),
      local: JSON.stringify(Object.entries(localStorage)),
      cookie: document.cookie,
    }));
    expect(readable.session).not.toContain(token);
    expect(readable.local).not.toContain(token);
    expect(readable.cookie).not.toContain("elsehu_session");
    // Live updates ride the cookie-authenticated WebSocket: ending the session reaches the page through it.
    const sessions = await sup.client.auth.sessions.query();
    await sup.client.auth.revokeSession.mutate({ id: sessions.find((s) => !s.current)?.id ?? "" });
    await page.getByText("Sua sessão foi encerrada em outro dispositivo. Entre novamente.").waitFor();
    expect(violations).toEqual([]);
    await context.close();
  });

  it("sends a deactivated user back to login with the reason", async () => {
    const target = await userWithToken(stack, "SUPERVISOR", { name: "Sara Supervisora" });
    const { context, page } = await freshPage();
    await login(page, target.email, target.password);
    await page.getByRole("heading", { name: "Fila" }).waitFor();
    expect(await navLabels(page)).toEqual([
      "Respostas rápidas",
      "Fila",
      "Operadores",
      "Conversas",
      "Relatórios",
      "Contatos",
    ]);
    await screenshot(page, "supervisor-home");
    await admin.client.users.update.mutate({ id: target.user.id, active: false });
    await page.getByText("Sua conta foi desativada. Fale com um administrador.").waitFor();
    await context.close();
  });
});
