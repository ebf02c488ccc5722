import type { Context, Next } from "hono";
import type { ProviderKind } from "../types";
import type { SimulatorState } from "./sim-state";

const SECRET_HEADERS = new Set(["authorization", "apikey"]);

export function providerOfPath(path: string): ProviderKind {
  return /^\/(v\d+\.\d+|whatsapp_business)\//.test(path) ? "META" : "EVOLUTION";
}

async function bodyOf(c: Context): Promise<unknown> {
  if (c.req.method === "GET" || c.req.method === "HEAD") return null;
  const type = c.req.header("content-type") ?? "";
  if (type.includes("multipart/form-data")) {
    const form = await c.req.parseBody();
    return Object.fromEntries(
      Object.entries(form).map(([name, value]) => [
        name,
        value instanceof File ? { fileName: value.name, type: value.type, size: value.size } : value,
      ]),
    );
  }
  const text = await c.req.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Records every provider-API request (not /_sim) with credentials stripped, before any check. */
export function recordRequests(state: SimulatorState) {
  return async (c: Context, next: Next): Promise<Response | undefined> => {
    if (c.req.path.startsWith("/_sim")) {
      await next();
      return undefined;
    }
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      if (!SECRET_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    });
    state.received.push({
      provider: providerOfPath(c.req.path),
      method: c.req.method,
      path: c.req.path,
      query: c.req.query(),
      headers,
      body: await bodyOf(c).catch(() => null),
    });
    await next();
    return undefined;
  };
}
