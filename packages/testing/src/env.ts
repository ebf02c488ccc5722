/** The test harness's one environment variable: pino's level for the stacks it starts (default: silent). */
export const testLogLevel = process.env.TEST_LOG_LEVEL ?? "silent";
