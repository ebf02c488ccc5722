import { useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { useApi } from "../../auth/session";
import type { KindsOf, LiveEvent, Stream } from "../../lib/types";
import { useTrackedSubscription } from "../../lib/use-tracked-subscription";

/**
 * Invalidates the given query keys (at most once a second) whenever an event
 * of one of the listed streams arrives: boards, queue and reports stay live
 * without each screen repeating the subscription code.
 */
/** What the staff streams carry. */
export type StaffEvent = LiveEvent<
  KindsOf<"conversation."> | KindsOf<"message."> | "queue.changed" | "presence.changed"
>;

export function useLiveInvalidate(
  streams: Array<"onConversation" | "onQueue" | "onPresence" | "onMessage">,
  keys: string[][],
  onEvent?: (e: StaffEvent) => void,
) {
  const api = useApi();
  const qc = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ keys, onEvent });
  latest.current = { keys, onEvent };
  const handle = (e: StaffEvent) => {
    latest.current.onEvent?.(e);
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      for (const k of latest.current.keys) void qc.invalidateQueries({ queryKey: k });
    }, 250);
  };
  const on = (name: (typeof streams)[number]) => streams.includes(name);
  useTrackedSubscription<Stream<KindsOf<"conversation.">>>(
    (last, h) => api.events.onConversation.subscribe({ lastEventId: last }, h),
    {
      enabled: on("onConversation"),
      onData: handle,
    },
  );
  useTrackedSubscription<Stream<"queue.changed">>((last, h) => api.events.onQueue.subscribe({ lastEventId: last }, h), {
    enabled: on("onQueue"),
    onData: handle,
  });
  useTrackedSubscription<Stream<"presence.changed">>(
    (last, h) => api.events.onPresence.subscribe({ lastEventId: last }, h),
    {
      enabled: on("onPresence"),
      onData: handle,
    },
  );
  useTrackedSubscription<Stream<KindsOf<"message.">>>(
    (last, h) => api.events.onMessage.subscribe({ lastEventId: last }, h),
    {
      enabled: on("onMessage"),
      onData: handle,
    },
  );
}
