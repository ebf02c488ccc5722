import type { StoredEvent } from "@elsehu/core";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { streamMapped } from "../realtime/hub";
import type { Context } from "../trpc/context";
import { router, staffProcedure, userProcedure } from "../trpc/init";

/** tRPC puts the last tracked id (a string) back into the input on reconnect. */
const Resume = z.object({ lastEventId: z.coerce.number().int().min(0).optional() }).default({});

type Viewer = NonNullable<Context["user"]>;

/** The client's view of an event, built once per event and shared by every socket that receives it. */
const shaped = new WeakMap<StoredEvent, { id: number; kind: string; payload: Record<string, unknown>; at: string }>();
function toClient(e: StoredEvent) {
  let data = shaped.get(e);
  if (!data) {
    data = { id: e.id, kind: e.kind, payload: e.payload, at: e.createdAt.toISOString() };
    shaped.set(e, data);
  }
  return tracked(String(e.id), data);
}

/**
 * Streams the events of `kinds` the viewer may see (canSee), resuming after
 * `lastEventId`. Staff skip the "previous operator" copies of transfer events:
 * they already get the main one.
 */
function stream(
  ctx: Context & { user: Viewer },
  input: { lastEventId?: number },
  signal: AbortSignal | undefined,
  accept: (e: StoredEvent) => boolean,
) {
  const staff = ctx.user.role !== "OPERATOR";
  return streamMapped(
    ctx.hub,
    ctx.core,
    ctx.user,
    {
      lastEventId: input.lastEventId ?? null,
      signal,
      filter: (ev) => accept(ev) && !(staff && ev.payload.copyFor === "previous"),
      // `sync` carries no data, only the position to resume from after a reconnect.
      announce: (position) =>
        tracked(String(position), {
          id: position,
          kind: "sync",
          payload: {} as Record<string, unknown>,
          at: new Date().toISOString(),
        }),
    },
    toClient,
  );
}

const prefix = (p: string) => (e: StoredEvent) => e.kind.startsWith(p);

export const eventsRouter = router({
  /** conversation.created|assigned|transferred|closed|expired|reopened. */
  onConversation: userProcedure
    .input(Resume)
    .subscription(({ ctx, input, signal }) => stream(ctx, input, signal, prefix("conversation."))),

  /** message.created|status; payloads carry operatorId so the audience is exact. */
  onMessage: userProcedure
    .input(Resume)
    .subscription(({ ctx, input, signal }) => stream(ctx, input, signal, prefix("message."))),

  /** Queue size (`{ waiting }`): a number only, so everyone may follow it. */
  onQueue: userProcedure
    .input(Resume)
    .subscription(({ ctx, input, signal }) => stream(ctx, input, signal, (e) => e.kind === "queue.changed")),

  /** presence.changed: staff see everyone, an operator only himself. */
  onPresence: userProcedure
    .input(Resume)
    .subscription(({ ctx, input, signal }) => stream(ctx, input, signal, (e) => e.kind === "presence.changed")),

  /** instance.status (connection state / QR changes of WhatsApp numbers): staff only. */
  onInstance: staffProcedure
    .input(Resume)
    .subscription(({ ctx, input, signal }) => stream(ctx, input, signal, (e) => e.kind === "instance.status")),
});
