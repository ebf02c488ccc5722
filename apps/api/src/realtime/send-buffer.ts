import type { WebSocket } from "ws";

/**
 * Bounds what a socket may hold unsent. Events are pushed to every
 * subscriber; a client that stops reading (a frozen tab, a script that never
 * reads) would make `ws` buffer them in memory for ever. Before each send, a
 * socket already holding more than `maxBytes` unsent is dropped (terminated:
 * a close frame would wait behind the same buffer); its client reconnects and
 * resumes from its last event id.
 */
export function boundSendBuffer(ws: WebSocket, maxBytes: number, onDrop: (buffered: number) => void): void {
  const send = ws.send.bind(ws) as (...args: unknown[]) => void;
  (ws as { send: (...args: unknown[]) => void }).send = (...args: unknown[]) => {
    if (ws.bufferedAmount > maxBytes) {
      if (ws.readyState === ws.OPEN) {
        onDrop(ws.bufferedAmount);
        ws.terminate();
      }
      return;
    }
    send(...args);
  };
}
