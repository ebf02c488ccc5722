import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEvolutionWebhook, parseMetaWebhook, WebhookParseError } from "../src/index";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

function webhookFixtures(provider: "meta" | "evolution"): unknown[] {
  const dir = join(FIXTURES, provider);
  return readdirSync(dir)
    .filter(
      (f) =>
        f.startsWith("webhook_") &&
        !f.includes("signature") &&
        !f.includes("verify") &&
        !f.includes("set_") &&
        !f.includes("find_"),
    )
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as unknown);
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Mutation = { at: number; op: "delete" | "replace" | "wrap" | "stringify" | "duplicate"; value: Json };

/** Every path (array of keys) inside a JSON value. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...paths(v, [...prefix, i]));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

/** Applies one mutation to a deep copy: delete a key, replace or wrap a value, turn it into a string, repeat an item. */
function mutate(doc: unknown, m: Mutation): unknown {
  const all = paths(doc).filter((p) => p.length > 0);
  const path = all[m.at % Math.max(all.length, 1)];
  if (!path) return m.value;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const key = path[path.length - 1] as string | number;
  const current = parent[key];
  if (m.op === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (m.op === "replace") parent[key] = m.value;
  else if (m.op === "wrap") parent[key] = [current];
  else if (m.op === "stringify") parent[key] = JSON.stringify(current ?? null);
  else if (Array.isArray(parent)) parent.push(structuredClone(current));
  else parent[key] = [current, current];
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("delete", "replace", "wrap", "stringify", "duplicate"),
  value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
});

/** The parser either returns events or throws WebhookParseError naming the field: nothing else escapes it. */
function onlyParseErrors(parse: (body: unknown) => unknown) {
  return (doc: unknown, ms: Mutation[]) => {
    const body = ms.reduce<unknown>((d, m) => mutate(d, m), doc);
    try {
      parse(body);
    } catch (err) {
      expect(err, `unexpected ${String(err)}`).toBeInstanceOf(WebhookParseError);
    }
  };
}

describe("webhook parsers under mutated payloads (fast-check)", () => {
  const meta = webhookFixtures("meta");
  const evolution = webhookFixtures("evolution");

  it("has fixtures to mutate", () => {
    expect(meta.length).toBeGreaterThan(10);
    expect(evolution.length).toBeGreaterThan(10);
  });

  it("Meta: every mutated payload parses or is refused with WebhookParseError", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...meta),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        onlyParseErrors(parseMetaWebhook),
      ),
      { numRuns: 1500, seed: Number(process.env.FUZZ_SEED ?? 20260501) },
    );
  });

  it("Evolution: every mutated payload parses or is refused with WebhookParseError", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...evolution),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        onlyParseErrors(parseEvolutionWebhook),
      ),
      { numRuns: 1500, seed: Number(process.env.FUZZ_SEED ?? 20260501) },
    );
  });

  it("arbitrary JSON bodies are refused with WebhookParseError, never another error", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (body) => {
        for (const parse of [parseMetaWebhook, parseEvolutionWebhook]) {
          try {
            parse(body);
          } catch (err) {
            expect(err).toBeInstanceOf(WebhookParseError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
