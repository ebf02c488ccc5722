import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { httpClient } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignThroughApi } from "./campaign-flow";
import { type Cluster, clusterUser, ENCRYPTION_KEY, startCluster, until } from "./harness";
import { writeResult } from "./results";

let cluster: Cluster;
const secret = (prefix: string) => `${prefix}${randomBytes(12).toString("hex")}`;
// Provider secrets an admin types into the instance forms; the simulator checks the Meta token really travels.
const PNID = "109876543210987";
const EVO_INSTANCE = "sim-instance";
const provider = {
  metaAccessToken: secret("EAAG"),
  metaAppSecret: secret("appsecret"),
  metaVerifyToken: secret("verify"),
  evolutionApiKey: secret("evoapikey"),
  evolutionWebhookSecret: secret("evowebhooksecret"),
};

beforeAll(async () => {
  cluster = await startCluster({
    name: "log-secrets",
    logLevel: "debug",
    workers: 1,
    simulator: {
      meta: { appSecret: provider.metaAppSecret, phoneNumberId: PNID, accessToken: provider.metaAccessToken },
      evolution: { instanceName: EVO_INSTANCE, apiKey: provider.evolutionApiKey },
    },
  });
});
afterAll(async () => {
  await cluster?.close();
});

describe("cluster: secrets never reach the logs", () => {
  it("a full flow at LOG_LEVEL=debug leaves no password, token or provider secret in any process's log", async () => {
    const [api1, api2] = cluster.apis.map((a) => a.url);
    if (!api1 || !api2) throw new Error("two APIs expected");
    const admin = await clusterUser(cluster, "ADMIN", api1, { password: secret("senhaAdmin-") });
    const adminClient = httpClient(api1, admin.token);

    // A user created through the API, who logs in on the other process; a wrong password is tried too.
    const operatorPassword = secret("senhaOperador-");
    const wrongPassword = secret("senhaErrada-");
    const email = `op-${Date.now()}@cluster.local`;
    await adminClient.users.create.mutate({ name: "Operadora", email, password: operatorPassword, role: "OPERATOR" });
    await expect(httpClient(api2).auth.login.mutate({ email, password: wrongPassword })).rejects.toThrow();
    const { token: operatorToken } = await httpClient(api2).auth.login.mutate({ email, password: operatorPassword });
    await httpClient(api2, operatorToken).auth.me.query();
    const newPassword = secret("senhaNova-");
    await httpClient(api2, operatorToken).auth.changePassword.mutate({
      currentPassword: operatorPassword,
      newPassword,
    });

    // Instances created through the API as an admin does: every provider secret goes through a request body.
    const meta = await adminClient.instances.create.mutate({
      provider: "META",
      name: "Meta segredos",
      config: { phoneNumberId: PNID, baseUrl: cluster.sim.url },
      secrets: {
        accessToken: provider.metaAccessToken,
        appSecret: provider.metaAppSecret,
        verifyToken: provider.metaVerifyToken,
      },
    });
    const evolution = await adminClient.instances.create.mutate({
      provider: "EVOLUTION",
      name: "Evolution segredos",
      config: { baseUrl: cluster.sim.url, instanceName: EVO_INSTANCE },
      secrets: { apiKey: provider.evolutionApiKey, webhookSecret: provider.evolutionWebhookSecret },
    });
    // Meta's verification handshake carries the verify token in the query string.
    const challenge = await fetch(
      `${api2}/webhooks/meta?hub.mode=subscribe&hub.verify_token=${provider.metaVerifyToken}&hub.challenge=42`,
    );
    expect(await challenge.text()).toBe("42");
    cluster.sim.setWebhookTarget("META", { url: `${api1}/webhooks/meta`, appSecret: provider.metaAppSecret });
    cluster.sim.setWebhookTarget("EVOLUTION", {
      url: `${api2}${evolution.webhookPath}`,
      headers: { "x-webhook-secret": provider.evolutionWebhookSecret },
    });
    const operatorId = (await adminClient.users.list.query({})).items.find((u) => u.email === email)?.id;
    expect(operatorId).toBeTruthy();
    // A customer writes on each number; the operator answers each one.
    for (const [kind, instanceId, from] of [
      ["META", meta.id, "+5511955550001"],
      ["EVOLUTION", evolution.id, "+5511955550002"],
    ] as const) {
      expect(await cluster.sim.injectInbound(kind, { from, body: "Olá, tudo bem?", name: "Cliente" })).toBe(200);
      const [conv] = await until(
        () =>
          cluster.core.sql<{ id: string }[]>`
          select c.id from conversations c where c.instance_id = ${instanceId}`.then((r) => (r.length ? r : undefined)),
        30_000,
        `${kind} inbound stored`,
      );
      await cluster.core.sql`update conversations set status = 'OPEN', operator_id = ${operatorId ?? ""},
        assigned_at = now(), first_assigned_at = now() where id = ${conv?.id ?? ""}`;
      const sent = await httpClient(api2, operatorToken).messages.send.mutate({
        conversationId: conv?.id ?? "",
        body: "Tudo ótimo, como posso ajudar?",
      });
      await until(
        async () => {
          const [m] = await cluster.core.sql<{ status: string }[]>`select status from messages where id = ${sent.id}`;
          return m?.status === "SENT";
        },
        30_000,
        `${kind} reply sent`,
      );
    }
    const instance = meta;
    const flow = await campaignThroughApi({
      apiUrl: api1,
      token: admin.token,
      instanceId: instance?.id ?? "",
      recipients: 3,
      offset: 4_500_000,
      pacePerMinute: 0,
    });
    await flow.admin.campaigns.start.mutate({ id: flow.campaignId });
    await until(
      async () => (await adminClient.campaigns.get.query({ id: flow.campaignId })).status === "COMPLETED",
      60_000,
      "campaign completed",
    );
    // The provider really got the token: the scan below looks for something that did travel.
    const used = await fetch(`${api2}/campaigns/${flow.campaignId}/results.csv`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    await used.text();
    expect(cluster.sim.sentMessages()).toHaveLength(3 + 2);

    // Graceful stops flush every log line.
    await Promise.all([...cluster.apis, ...cluster.workers].map((p) => p.stop("SIGTERM")));
    const secrets: Record<string, string> = {
      adminPassword: admin.password,
      adminSessionToken: admin.token,
      operatorPassword,
      wrongPassword,
      newPassword,
      operatorSessionToken: operatorToken,
      ...provider,
      encryptionKey: ENCRYPTION_KEY.toString("hex"),
      encryptionKeyBase64: ENCRYPTION_KEY.toString("base64"),
    };
    const files = readdirSync(cluster.logDir);
    const logs = files.map((f) => readFileSync(join(cluster.logDir, f), "utf8"));
    const bytes = logs.reduce((n, l) => n + l.length, 0);
    const leaks = Object.entries(secrets)
      .filter(([, value]) => logs.some((l) => l.includes(value)))
      .map(([name]) => name);

    writeResult({
      scenario: "log-secrets",
      title:
        "Scan every process's logs of a full flow (LOG_LEVEL=debug): logins, instances created through the API, webhook handshake, inbound webhooks, replies, a campaign",
      promise:
        "no password, session token, provider access token, app secret, verify token, API key, webhook secret or encryption key in any log line",
      lost: 0,
      duplicated: 0,
      recoveryMs: null,
      violations: leaks.length,
      details: { secretsChecked: Object.keys(secrets), logFiles: files.length, logBytes: bytes, leaks },
    });
    // Every process wrote its log (the scan looked at something).
    expect(files).toHaveLength(3);
    for (const l of logs) expect(l.length).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  }, 180_000);
});
