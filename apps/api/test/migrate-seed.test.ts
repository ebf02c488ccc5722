import { randomBytes } from "node:crypto";
import { seedAdmin } from "@elsehu/core";
import { connect, migrate, migrationsCurrent } from "@elsehu/db";
import { dropDatabase, withDatabase } from "@elsehu/db/testing";
import { httpClient, type Stack, startStack } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

describe("migrations", () => {
  it("migrate an empty database to current, and again without harm", async () => {
    const server = withDatabase(inject("templateDatabaseUrl"), "postgres");
    const name = `elsehu_empty_${randomBytes(4).toString("hex")}`;
    const admin = connect(server, { max: 1 });
    await admin.sql.unsafe(`create database ${name}`);
    await admin.close();
    const url = withDatabase(server, name);
    const db = connect(url, { max: 1 });
    try {
      expect(await migrationsCurrent(db.sql)).toBe(false);
      await migrate(url);
      expect(await migrationsCurrent(db.sql)).toBe(true);
      await migrate(url);
      expect(await migrationsCurrent(db.sql)).toBe(true);
      const tables = await db.sql<{ n: number }[]>`
        select count(*)::int as n from information_schema.tables
        where table_schema = 'public' and table_name in ('users', 'conversations', 'messages')`;
      expect(tables[0]?.n).toBe(3);
      const jobs = await db.sql`select 1 from information_schema.schemata where schema_name = 'graphile_worker'`;
      expect(jobs).toHaveLength(1);
    } finally {
      await db.close();
      await dropDatabase(url);
    }
  });
});

describe("seed and operational routes", () => {
  let stack: Stack;
  let metricsStack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: false });
    metricsStack = await startStack({ worker: false, api: { metricsToken: "metrics-secret-123" } });
  });
  afterAll(async () => {
    await stack.close();
    await metricsStack.close();
  });

  it("seeds one admin, shows the generated password only the first time, and it signs in", async () => {
    const email = "Boss@Elsehu.Local";
    const first = await seedAdmin(stack.core, { email });
    const second = await seedAdmin(stack.core, { email });
    expect(first.created).toBe(true);
    const password = first.created ? first.generatedPassword : undefined;
    expect(password).toMatch(/.{12,}/);
    expect(second).toEqual({ created: false });
    const admins = await stack.core.sql`select role from users where lower(email) = 'boss@elsehu.local'`;
    expect(admins).toEqual([{ role: "ADMIN" }]);
    const login = await httpClient(stack.url).auth.login.mutate({
      email: "boss@elsehu.local",
      password: password ?? "",
    });
    const me = await httpClient(stack.url, login.token).auth.me.query();
    expect(me.role).toBe("ADMIN");
  });

  it("keeps the given admin password and never reveals it", async () => {
    const result = await seedAdmin(stack.core, { email: "chosen@elsehu.local", password: "a chosen password" });
    expect(result).toEqual({ created: true, generatedPassword: undefined });
    const login = await httpClient(stack.url).auth.login.mutate({
      email: "chosen@elsehu.local",
      password: "a chosen password",
    });
    expect(login.token).toBeTruthy();
  });

  it("answers /healthz and /readyz with 200 on a migrated database", async () => {
    const health = await fetch(`${stack.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const ready = await fetch(`${stack.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true });
  });

  it("serves Prometheus metrics counting HTTP requests", async () => {
    await fetch(`${stack.url}/healthz`);
    const res = await fetch(`${stack.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/# TYPE http_requests_total counter/);
    expect(text).toMatch(/http_requests_total\{[^}]*route="\/healthz"[^}]*\} \d+/);
  });

  it("requires the metrics token when one is configured", async () => {
    expect((await fetch(`${metricsStack.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${metricsStack.url}/metrics`, { headers: { authorization: "Bearer nope-nope-nope" } });
    expect(wrong.status).toBe(401);
    // Same length, one character off; a prefix; the token without "Bearer ": all refused.
    for (const authorization of ["Bearer metrics-secret-124", "Bearer metrics-secret-12", "metrics-secret-123"]) {
      expect((await fetch(`${metricsStack.url}/metrics`, { headers: { authorization } })).status).toBe(401);
    }
    const ok = await fetch(`${metricsStack.url}/metrics`, { headers: { authorization: "Bearer metrics-secret-123" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/http_requests_total/);
  });
});
