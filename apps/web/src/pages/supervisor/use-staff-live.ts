import { useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { useApi } from "../../auth/session";
import type { LiveEvent } from "../../lib/types";
import { useTrackedSubscription } from "../../lib/use-tracked-subscription";

/**
 * Invalidates the given query keys (at most once a second) whenever an event
 * of one of the listed streams arrives: boards, queue and reports stay live
 * without each screen repeating the subscription code.
 */
export function useLiveInvalidate(
  streams: Array<"onConversation" | "onQueue" | "onPresence" | "onMessage">,
  keys: string[][],
  onEvent?: (e: LiveEvent) => void,
) {
  const api = useApi();
  const qc = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ keys, onEvent });
  latest.current = { keys, onEvent };
  const handle = (e: LiveEvent) => {
    latest.current.onEvent?.(e);
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      for (const k of latest.current.keys) void qc.invalidateQueries({ queryKey: k });
    }, 250);
  };
  const on = (name: (typeof streams)[number]) => streams.includes(name);
  useTrackedSubscription<LiveEvent>((last, h) => api.events.onConversation.subscribe({ lastEventId: last }, h), {
    enabled: on("onConversation"),
    onData: handle,
  });
  useTrackedSubscription<LiveEvent>((last, h) => api.events.onQueue.subscribe({ lastEventId: last }, h), {
    enabled: on("onQueue"),
    onData: handle,
  });
  useTrackedSubscription<LiveEvent>((last, h) => api.events.onPresence.subscribe({ lastEventId: last }, h), {
    enabled: on("onPresence"),
    onData: handle,
  });
  useTrackedSubscription<LiveEvent>((last, h) => api.events.onMessage.subscribe({ lastEventId: last }, h), {
    enabled: on("onMessage"),
    onData: handle,
  });
}
