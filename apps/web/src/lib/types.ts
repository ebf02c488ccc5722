import type { AppRouter } from "@elsehu/api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

/** Shapes of what the API returns, straight from the router's type (dates arrive as ISO strings at runtime). */
export type Out = inferRouterOutputs<AppRouter>;
export type In = inferRouterInputs<AppRouter>;

export type Conversation = Out["conversations"]["mine"][number];
export type Message = Out["messages"]["list"]["items"][number];
export type MessagePage = Out["messages"]["list"];
export type MessageStatus = Message["status"];
export type Tabulation = Out["tabulations"]["list"][number];
export type BoardRow = Out["presence"]["board"][number];
export type Presence = Out["presence"]["me"]["presence"];
export type Template = Out["templates"]["list"][number];
export type Campaign = Out["campaigns"]["get"];
export type CampaignStats = Out["campaigns"]["stats"];

/** Envelope of every `events.*` subscription item. */
export type LiveEvent = { id: number; kind: string; payload: Record<string, unknown>; at: string };

/** A string field of an event payload, if present. */
export function str(payload: Record<string, unknown>, key: string): string | undefined {
  const v = payload[key];
  return typeof v === "string" ? v : undefined;
}
