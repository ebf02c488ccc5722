import type { SyncMark } from "@elsehu/core";
import { useEffect, useRef } from "react";
import { errorCode } from "./api";

type Unsubscribable = { unsubscribe: () => void };
type Handlers<T> = {
  onStarted?: () => void;
  onData: (value: { id: string; data: T }) => void;
  onError: (err: unknown) => void;
};

/**
 * Subscribes while mounted and remembers the last tracked event id, so that
 * when the socket reconnects (tRPC resubscribes on its own, and we do on
 * remount or when `key` changes) the server replays what was missed.
 *
 * `start` receives the last id and must call a tRPC `.subscribe()` with
 * `{ ...input, lastEventId }`. Data are the `tracked()` envelopes `{ id, data }`.
 */
export function useTrackedSubscription<T>(
  start: (lastEventId: string | undefined, handlers: Handlers<T>) => Unsubscribable,
  opts: { key?: string; enabled?: boolean; onData: (data: Exclude<T, SyncMark>) => void; onUnauthorized?: () => void },
): void {
  const lastId = useRef<string | undefined>(undefined);
  const latest = useRef(opts);
  latest.current = opts;
  const startRef = useRef(start);
  startRef.current = start;
  const enabled = opts.enabled ?? true;

  // biome-ignore lint/correctness/useExhaustiveDependencies: resubscribe only when the key or enabled flag changes
  useEffect(() => {
    if (!enabled) return;
    const sub = startRef.current(lastId.current, {
      onData: ({ id, data }) => {
        lastId.current = id;
        // `sync` only tells where the stream starts (resume point); there is nothing to show.
        if (isSync(data)) return;
        latest.current.onData(data as Exclude<T, SyncMark>);
      },
      onError: (err) => {
        if (errorCode(err) === "UNAUTHORIZED") latest.current.onUnauthorized?.();
      },
    });
    return () => sub.unsubscribe();
  }, [opts.key, enabled]);
}

function isSync<T>(data: T): data is Extract<T, SyncMark> {
  return typeof data === "object" && data !== null && "kind" in data && data.kind === "sync";
}
