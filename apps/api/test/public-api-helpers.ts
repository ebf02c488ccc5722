import type { ApiScope } from "@elsehu/core";
import type { Stack } from "@elsehu/testing";

type Client = {
  apiTokens: {
    create: {
      mutate(input: { name: string; scopes: ApiScope[] }): Promise<{ token: string; apiToken: { id: string } }>;
    };
  };
};

/** A token made the way an admin makes one: through `apiTokens.create`. */
export async function apiToken(admin: { client: unknown }, scopes: ApiScope[], name = "Integração") {
  return (admin.client as Client).apiTokens.create.mutate({ name, scopes });
}

/** One `/api/v1` call: status, parsed JSON body and headers. */
export async function api(
  stack: Pick<Stack, "url">,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${stack.url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are read field by field
  return { status: res.status, body: json as any, headers: res.headers };
}
