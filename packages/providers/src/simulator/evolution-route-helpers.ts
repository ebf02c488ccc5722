import type { Context } from "hono";
import { evolutionError } from "./failures";
import type { EvolutionInstance, SimulatorState } from "./sim-state";

type Json = Record<string, unknown>;

export const badRequest = (c: Context, message: unknown): Response =>
  c.json(evolutionError(400, "Bad Request", message), 400);
export const schemaError = (c: Context, property: string): Response =>
  badRequest(c, [[`instance requires property "${property}"`]]);

/** `apikey` must be present; when configured, equal to the global key or the instance token. */
export function authorized(c: Context, state: SimulatorState): boolean {
  const key = c.req.header("apikey");
  if (!key) return false;
  const global = state.options.evolution?.apiKey;
  if (!global) return true;
  // Middleware has no route params: the instance name is the third path segment.
  const instance = state.instances.get(decodeURIComponent(c.req.path.split("/")[3] ?? ""));
  return key === global || (instance?.token !== undefined && key === instance.token);
}

export function instanceOf(c: Context, state: SimulatorState): EvolutionInstance | Response {
  const name = c.req.param("instance") ?? "";
  return (
    state.instances.get(name) ??
    c.json(evolutionError(404, "Not Found", [`The "${name}" instance does not exist`]), 404)
  );
}

export async function jsonBody(c: Context): Promise<Json> {
  const body: unknown = await c.req.json().catch(() => ({}));
  return typeof body === "object" && body !== null ? (body as Json) : {};
}

export const evolutionUnauthorized = (c: Context): Response =>
  c.json(evolutionError(401, "Unauthorized", "Unauthorized"), 401);
