// The provider simulator, for tests, benchmarks and `pnpm demo`: its own entry
// (`@elsehu/providers/simulator`) so the runtime index never loads it.
export type { WebhookTarget } from "./inject-inbound";
export { metaWebhookEnvelope } from "./meta-sim-payloads";
export type {
  FailKind,
  FailRule,
  InboundInput,
  InboundType,
  ReceivedRequest,
  SentMessage,
  SimulatorOptions,
  WebhookDelivery,
} from "./sim-types";
export { type Simulator, startSimulator } from "./start-simulator";
