import fs, { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { basename } from "node:path";
import { afterAll, inject } from "vitest";

/**
 * Leak check, run in each test file's process (a `setupFiles` entry of the root vitest
 * config). It notes what is open before the file's modules load; after the file's own
 * afterAll hooks it fails the file, naming what the file left: handles that keep the
 * process alive (sockets, servers, ref'd timers, child processes…), TCP connections
 * (a Postgres pool not closed shows as connections to the database port) and `elsehu-*`
 * folders it made in the temporary folder and did not remove.
 *
 * Folders are told apart by who made them, not by listing os.tmpdir(): files run in
 * parallel, so a listing would show another file's folders. `mkdtemp` (sync, callback and
 * promise forms) is wrapped to note each `elsehu-*` folder this process makes; changing
 * TMPDIR instead slowed every process a test spawns (tsx's cache lives there) and changed
 * the timing of the tracing tests.
 */

/** How long a file's closing work (a socket's FIN, a pool's end) may take to settle. */
const SETTLE_MS = 3_000;

const made: string[] = [];
const note = (dir: string) => {
  if (basename(dir).startsWith("elsehu-")) made.push(dir);
  return dir;
};
const { mkdtemp, mkdtempSync } = fs;
const mkdtempPromise = fs.promises.mkdtemp;
fs.mkdtempSync = ((prefix: string, options?: fs.EncodingOption) =>
  note(String(mkdtempSync(prefix, options)))) as typeof fs.mkdtempSync;
fs.promises.mkdtemp = (async (prefix: string, options?: fs.EncodingOption) =>
  note(String(await mkdtempPromise(prefix, options)))) as typeof fs.promises.mkdtemp;
fs.mkdtemp = ((prefix: string, ...rest: unknown[]) => {
  const done = rest.pop() as (err: NodeJS.ErrnoException | null, dir: string) => void;
  mkdtemp(prefix, ...(rest as [fs.EncodingOption]), (err: NodeJS.ErrnoException | null, dir: string) =>
    done(err, err ? dir : note(String(dir))),
  );
}) as typeof fs.mkdtemp;
// ESM named imports of node:fs and node:fs/promises see the wrapped functions too.
syncBuiltinESMExports();

const before = snapshot();

afterAll(async () => {
  let left = leftovers(before, snapshot());
  for (const deadline = Date.now() + SETTLE_MS; left.length > 0 && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 50));
    left = leftovers(before, snapshot());
  }
  if (left.length > 0) throw new Error(`This test file left open or behind:\n- ${left.join("\n- ")}`);
}, SETTLE_MS + 5_000);

type Snapshot = { resources: Map<string, number>; sockets: Map<string, string>; folders: string[] };

function snapshot(): Snapshot {
  const resources = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) resources.set(r, (resources.get(r) ?? 0) + 1);
  return { resources, sockets: tcpSockets(), folders: tmpFolders() };
}

export function leftovers(a: Snapshot, b: Snapshot): string[] {
  const out: string[] = [];
  for (const [kind, n] of b.resources) {
    const extra = n - (a.resources.get(kind) ?? 0);
    if (extra > 0) out.push(`${extra} × ${kind}${hint(kind)}`);
  }
  for (const [inode, what] of b.sockets) if (!a.sockets.has(inode)) out.push(what);
  for (const f of b.folders) if (!a.folders.includes(f)) out.push(`folder ${f} (made by this file, not removed)`);
  return out;
}

function hint(kind: string): string {
  if (kind === "TCPServerWrap") return " (a server still listening)";
  if (kind === "TCPSocketWrap") return " (an open TCP connection)";
  if (kind === "Timeout") return " (a timer or interval not cleared)";
  if (kind === "ProcessWrap") return " (a child process still running)";
  return "";
}

function tmpFolders(): string[] {
  return made.filter((dir) => existsSync(dir));
}

/**
 * This process's TCP sockets (Linux: its fds joined with /proc/net/tcp*), by inode, each
 * described: a listening server, or a connection and its peer (5432: a Postgres connection).
 */
function tcpSockets(): Map<string, string> {
  const out = new Map<string, string>();
  let fds: string[];
  try {
    fds = readdirSync("/proc/self/fd");
  } catch {
    return out;
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // The fd closed between the listing and the read.
    }
  }
  for (const table of ["/proc/self/net/tcp", "/proc/self/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      const [local, remote, state, inode] = [f[1], f[2], f[3], f[9]];
      if (!local || !remote || !inode || !inodes.has(inode)) continue;
      const port = (a: string) => Number.parseInt(a.split(":")[1] ?? "0", 16);
      if (state === "0A") out.set(inode, `a server listening on port ${port(local)}`);
      // Established, or closed by the peer and never by us (CLOSE_WAIT).
      else if (state === "01" || state === "08")
        out.set(inode, `a TCP connection from port ${port(local)} to port ${port(remote)}${pgNote(port(remote))}`);
    }
  }
  return out;
}

/** Postgres's port, from the database the run's global setup provides. */
const pgPort = (() => {
  const url = inject("templateDatabaseUrl");
  return url ? Number(new URL(url).port || 5432) : undefined;
})();

function pgNote(port: number): string {
  return port === pgPort ? " (Postgres: a pool or client not ended)" : "";
}
