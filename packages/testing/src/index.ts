// The shared test harness: the one place that starts the apps together (API, worker, a private
// database) for any app's or package's tests, so no app imports another, even in its tests.
export { startWorker, type WorkerHandle } from "@elsehu/worker";
export {
  campaignGround,
  draftCampaign,
  evolutionInstance,
  metaInstance,
  orderTemplate,
  PHONE_NUMBER_ID,
  phones,
  recipientsOf,
  withClock,
} from "./campaign-fixtures";
export {
  httpClient,
  type Stack,
  silentLog,
  startStack,
  testConfig,
  testDatabase,
  userWithToken,
  wsClient,
} from "./harness";
