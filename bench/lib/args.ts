/**
 * Command-line flags of a benchmark: `--size 5000`, `--size=5000`,
 * `--connections 32`, boolean `--profile`. Unknown flags are kept so each
 * benchmark reads what it needs.
 */
export type BenchArgs = {
  /** Raw flag values by name (without the leading dashes); `true` for a bare flag. */
  flags: Map<string, string | true>;
  /** Positional arguments. */
  rest: string[];
  /** A numeric flag, or `fallback` when absent. Exits with a message naming the flag when not a number. */
  number: (name: string, fallback: number) => number;
  string: (name: string, fallback: string) => string;
  bool: (name: string) => boolean;
};

export function parseArgs(argv: string[] = process.argv.slice(2)): BenchArgs {
  const flags = new Map<string, string | true>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (!a.startsWith("--")) {
      rest.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    if (eq > 0) {
      flags.set(a.slice(2, eq), a.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      flags.set(a.slice(2), next);
      i++;
    } else {
      flags.set(a.slice(2), true);
    }
  }
  return {
    flags,
    rest,
    number(name, fallback) {
      const v = flags.get(name);
      if (v === undefined) return fallback;
      const n = Number(v);
      if (v === true || !Number.isFinite(n) || n <= 0) {
        console.error(`--${name} must be a positive number (got ${v === true ? "nothing" : JSON.stringify(v)})`);
        process.exit(2);
      }
      return n;
    },
    string(name, fallback) {
      const v = flags.get(name);
      return typeof v === "string" ? v : fallback;
    },
    bool(name) {
      const v = flags.get(name);
      return v === true || v === "true" || v === "1";
    },
  };
}
