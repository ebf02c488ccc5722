/** The simulator CLI's one environment variable: its port when `--port` is not given. */
export const SIMULATOR_DEFAULT_PORT = process.env.PORT ?? "4010";
