import { connect, createServer, type Socket } from "node:net";

/** Postgres' CommandComplete tag for a COMMIT: the server has committed when it sends it. */
const COMMIT_DONE = Buffer.from("COMMIT\0");
/** The text of postgres.js's COMMIT, sent once per connection (later ones reuse the prepared statement). */
const COMMIT_SENT = Buffer.from("commit\0");

export type PgProxy = {
  /** The database URL, through the proxy. */
  url: string;
  /** The next COMMIT's answer never reaches the client: the link breaks right after the server committed. */
  loseNextCommitAnswer: () => void;
  /** The next COMMIT sent on a new connection never reaches the server: the link breaks before it. */
  dropNextCommit: () => void;
  /** How many COMMIT answers were lost. */
  lost: () => number;
  close: () => Promise<void>;
};

/**
 * A TCP proxy in front of a real Postgres that can break a link at the worst moment:
 * after the server committed and before the client heard it, as when Postgres
 * restarts or the network drops mid-commit.
 */
export async function startPgProxy(databaseUrl: string): Promise<PgProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  let armed = false;
  let dropCommit = false;
  let lost = 0;
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (chunk) => {
      if (dropCommit && chunk.includes(COMMIT_SENT)) {
        dropCommit = false;
        return cut();
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (armed && chunk.includes(COMMIT_DONE)) {
        armed = false;
        lost++;
        return cut();
      }
      client.write(chunk);
    });
    client.on("close", cut);
    upstream.on("close", cut);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    loseNextCommitAnswer: () => {
      armed = true;
    },
    dropNextCommit: () => {
      dropCommit = true;
    },
    lost: () => lost,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
