/**
 * Type-level test (checked by `pnpm typecheck`, never run): the console reads
 * event payloads through core's event catalog, end to end from the router's
 * subscription output. A field the catalog does not have (a renamed one) is a
 * type error here and wherever the console reads it.
 */
import type { LiveEvent, Out } from "../src/lib/types";

/** What a subscription hands to `onData` (its tracked `data`), as the router types it. */
type DataOf<O> = O extends AsyncIterable<infer Y> ? (Y extends { data: infer D } ? D : never) : never;

type MessageItem = Exclude<DataOf<Out["events"]["onMessage"]>, { kind: "sync" }>;
type ConversationItem = Exclude<DataOf<Out["events"]["onConversation"]>, { kind: "sync" }>;
type ProgressItem = DataOf<Out["campaigns"]["onProgress"]>;

declare const message: MessageItem;
declare const conversation: ConversationItem;
declare const progress: ProgressItem;
declare const live: LiveEvent<"presence.changed">;

export const read = {
  conversationId: message.payload.conversationId satisfies string,
  direction: message.kind === "message.created" ? (message.payload.direction satisfies "IN" | "OUT") : null,
  copyFor: conversation.kind === "conversation.transferred" ? conversation.payload.copyFor : undefined,
  sent: progress.sent satisfies number,
  changedAt: live.payload.changedAt satisfies string,
};

// @ts-expect-error a renamed field (conversationID) is not in the catalog
message.payload.conversationID;
// @ts-expect-error `direction` is only on message.created: the kind must be checked first
message.payload.direction;
// @ts-expect-error the subscription streams only message kinds
message.kind === "conversation.closed";
// @ts-expect-error campaign.progress carries the stats counters, not arbitrary fields
progress.percent;
// @ts-expect-error presence is a closed set of states
live.payload.presence === "AWAY";
