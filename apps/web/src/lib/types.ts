import type { AppRouter } from "@elsehu/api";
import type { EventKind, KindsOf, LiveEvent, SyncMark } from "@elsehu/core";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

export type { KindsOf, LiveEvent } from "@elsehu/core";

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

/**
 * What an `events.*` subscription yields: its events (payloads typed by core's event
 * catalog, so a renamed field fails this app's typecheck) and the position mark.
 */
export type Stream<K extends EventKind> = LiveEvent<K> | SyncMark;

/** The event is one of the kinds named `prefix…` ("conversation.", "message."). */
export function ofPrefix<P extends string>(e: LiveEvent, prefix: P): e is LiveEvent<KindsOf<P>> {
  return e.kind.startsWith(prefix);
}
