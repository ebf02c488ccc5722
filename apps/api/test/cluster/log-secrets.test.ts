import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encryptJson } from "@elsehu/core";
import { serviceInstances } from "@elsehu/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpClient } from "../harness";
import { campaignThroughApi } from "./campaign-flow";
import { type Cluster, clusterUser, ENCRYPTION_KEY, startCluster, until } from "./harness";
import { writeResult } from "./results";

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ name: "log-secrets", logLevel: "debug", workers: 1 });
});
afterAll(async () => {
  await cluster?.close();
});

const secret = (prefix: string) => `${prefix}${randomBytes(12).toString("hex")}`;

describe("cluster: secrets never reach the logs", () => {
  it("a full flow at LOG_LEVEL=debug leaves no password, token, access token, app secret or key in any process's log", async () => {
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

    // An instance whose provider secrets the worker decrypts and uses for every send.
    const accessToken = secret("EAAG");
    const appSecret = secret("appsecret");
    const [instance] = await cluster.core.db
      .insert(serviceInstances)
      .values({
        name: "Meta segredos",
        provider: "META",
        config: { phoneNumberId: "109876543210987", baseUrl: cluster.sim.url },
        secrets: encryptJson(ENCRYPTION_KEY, { accessToken, appSecret }),
        metaPhoneNumberId: String(Date.now()),
        sendRatePerSecond: 80,
        nextSendAt: new Date(0),
      })
      .returning();
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
    expect(cluster.sim.sentMessages()).toHaveLength(3);

    // Graceful stops flush every log line.
    await Promise.all([...cluster.apis, ...cluster.workers].map((p) => p.stop("SIGTERM")));
    const secrets: Record<string, string> = {
      adminPassword: admin.password,
      adminSessionToken: admin.token,
      operatorPassword,
      wrongPassword,
      newPassword,
      operatorSessionToken: operatorToken,
      metaAccessToken: accessToken,
      metaAppSecret: appSecret,
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
      title: "Scan every process's logs of a full flow (LOG_LEVEL=debug) for secrets",
      promise: "no password, session token, provider access token, app secret or encryption key in any log line",
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
