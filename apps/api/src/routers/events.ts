import { hasKindPrefix, isKind, type LiveEvent, type StoredEvent, type SyncMark } from "@elsehu/core";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { streamMapped } from "../realtime/hub";
import type { Context } from "../trpc/context";
import { adminProcedure, router, staffProcedure, userProcedure } from "../trpc/init";

/** tRPC puts the last tracked id (a string) back into the input on reconnect. */
const Resume = z.object({ lastEventId: z.coerce.number().int().min(0).optional() }).default({});

type Viewer = NonNullable<Context["user"]>;

/** What an `events.*` subscription yields: its events, and the position mark first. */
type Item<E extends StoredEvent> = LiveEvent<E["kind"]> | SyncMark;

/** The client's view of an event, built once per event and shared by every socket that receives it. */
const shaped = new WeakMap<StoredEvent, LiveEvent>();
function toClient<E extends StoredEvent>(e: E) {
  let data = shaped.get(e);
  if (!data) {
    data = { id: e.id, kind: e.kind, payload: e.payload, at: e.createdAt.toISOString() } as LiveEvent;
    shaped.set(e, data);
  }
  // `data` was built from `e`: same kind, same payload.
  return tracked<Item<E>>(String(e.id), data as LiveEvent<E["kind"]>);
}

/**
 * Streams the events of `kinds` the viewer may see (canSee), resuming after
 * `lastEventId`. Staff skip the "previous operator" copies of transfer events:
 * they already get the main one.
 */
function stream<E extends StoredEvent>(
  ctx: Context & { user: Viewer },
  input: { lastEventId?: number },
  signal: AbortSignal | undefined,
  accept: (e: StoredEvent) => e is E,
) {
  const staff = ctx.user.role !== "OPERATOR";
  return streamMapped(
    ctx.hub,
    ctx.core,
    ctx.user,
    {
      lastEventId: input.lastEventId ?? null,
      signal,
      filter: (ev) => accept(ev) && !(staff && "copyFor" in ev.payload && ev.payload.copyFor === "previous"),
      // `sync` carries no data, only the position to resume from after a reconnect.
      announce: (position) => {
        const mark: SyncMark = { id: position, kind: "sync", payload: {}, at: new Date().toISOString() };
        return tracked<Item<E>>(String(position), mark);
      },
    },
    // The filter above let through only events that `accept` typed as E.
    (e: StoredEvent) => toClient(e as E),
  );
}

export const eventsRouter = router({
  /** conversation.created|assigned|transferred|closed|expired|reopened|tagged|routed. */
  onConversation: userProcedure
    .input(Resume)
    .subscription(({ ctx, input, signal }) => stream(ctx, input, signal, hasKindPrefix("conversation."))),

  /** message.created|status; payloads carry operatorId so the audience is exact. */
  onMessage: userProcedure
    .input(Resume)
    .subscription(({ ctx, input, signal }) => stream(ctx, input, signal, hasKindPrefix("message."))),

  /** Queue size (`{ waiting }`): a number only, so everyone may follow it. */
  onQueue: userProcedure
    .input(Resume)
    .subscription(({ ctx, input, signal }) => stream(ctx, input, signal, isKind("queue.changed"))),

  /** presence.changed: staff see everyone, an operator only himself. */
  onPresence: userProcedure
    .input(Resume)
    .subscription(({ ctx, input, signal }) => stream(ctx, input, signal, isKind("presence.changed"))),

  /** instance.status (connection state / QR changes of WhatsApp numbers): staff only. */
  onInstance: staffProcedure
    .input(Resume)
    .subscription(({ ctx, input, signal }) => stream(ctx, input, signal, isKind("instance.status"))),

  /** webhook.disabled (an outbound webhook endpoint turned off after repeated failures): admins only. */
  onWebhook: adminProcedure
    .input(Resume)
    .subscription(({ ctx, input, signal }) => stream(ctx, input, signal, isKind("webhook.disabled"))),
});
