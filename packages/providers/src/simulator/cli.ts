import { parseArgs } from "node:util";
import { SIMULATOR_DEFAULT_PORT } from "./env";
import { startSimulator } from "./start-simulator";

/**
 * Standalone simulator for demos and multi-process tests:
 *   tsx packages/providers/src/simulator/cli.ts --port 4010 \
 *     --meta-webhook http://localhost:3000/webhooks/meta --meta-app-secret x \
 *     --evolution-webhook http://localhost:3000/webhooks/evolution/<id> --evolution-header "x-webhook-token: s3cr3t"
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: SIMULATOR_DEFAULT_PORT },
    host: { type: "string", default: "127.0.0.1" },
    "meta-webhook": { type: "string" },
    "meta-app-secret": { type: "string" },
    "meta-phone-number-id": { type: "string" },
    "meta-access-token": { type: "string" },
    "evolution-webhook": { type: "string" },
    "evolution-header": { type: "string", multiple: true },
    "evolution-instance": { type: "string" },
    "evolution-api-key": { type: "string" },
    "status-delay": { type: "string" },
    "no-auto-statuses": { type: "boolean", default: false },
  },
});

const headers = Object.fromEntries(
  (values["evolution-header"] ?? []).map((header) => {
    const at = header.indexOf(":");
    return [header.slice(0, at).trim(), header.slice(at + 1).trim()];
  }),
);

const simulator = await startSimulator({
  port: Number(values.port),
  hostname: values.host,
  meta: {
    webhookUrl: values["meta-webhook"],
    appSecret: values["meta-app-secret"],
    phoneNumberId: values["meta-phone-number-id"],
    accessToken: values["meta-access-token"],
  },
  evolution: {
    webhookUrl: values["evolution-webhook"],
    webhookHeaders: Object.keys(headers).length > 0 ? headers : undefined,
    instanceName: values["evolution-instance"],
    apiKey: values["evolution-api-key"],
  },
  statusDelayMs: values["status-delay"] ? Number(values["status-delay"]) : undefined,
  autoStatuses: !values["no-auto-statuses"],
});

console.log(`provider simulator listening on ${simulator.url}`);
const stop = (): void => {
  simulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
