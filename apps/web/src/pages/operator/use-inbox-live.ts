import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useApi } from "../../auth/session";
import type { ApiClient } from "../../lib/api";
import { alertUser } from "../../lib/notifications";
import type { Conversation, KindsOf, Stream } from "../../lib/types";
import { useTrackedSubscription } from "../../lib/use-tracked-subscription";
import { refreshNewest } from "../chat/messages-cache";
import { useTransferNotice } from "./transfer-notice";

export const MINE_KEY = ["conversations.mine"] as const;

const activity = (c: Conversation) => String(c.lastMessageAt ?? c.assignedAt ?? c.createdAt);

/** Newest activity first, as the server orders `conversations.mine`. */
export function sortByActivity(list: Conversation[]): Conversation[] {
  return list.slice().sort((a, b) => (activity(a) < activity(b) ? 1 : activity(a) > activity(b) ? -1 : 0));
}

/**
 * Keeps the inbox live: conversation events refetch the list (assigned,
 * transferred away, closed, expired); message events update the open chat, or
 * bump the unread badge of a background conversation and beep.
 */
export function useInboxLive(selectedId: string | null) {
  const api = useApi();
  const qc = useQueryClient();
  const noticeTransfer = useTransferNotice();
  const selected = useRef(selectedId);
  selected.current = selectedId;
  const refetchSoon = useThrottled(() => void qc.invalidateQueries({ queryKey: MINE_KEY }), 300);
  // Checked when it runs, not only when asked: a call made while the tab showed may run after it was hidden.
  const markSoon = useThrottled(() => {
    const id = selected.current;
    if (id && document.visibilityState === "visible") void markRead(qc, api, id);
  }, 500);

  // Back to the tab: what arrived on screen while it was hidden is read now (and leaves the title's count).
  useEffect(() => {
    const onShow = () => {
      if (document.visibilityState === "visible") markSoon();
    };
    document.addEventListener("visibilitychange", onShow);
    return () => document.removeEventListener("visibilitychange", onShow);
  }, [markSoon]);

  useTrackedSubscription<Stream<KindsOf<"conversation.">>>(
    (last, h) => api.events.onConversation.subscribe({ lastEventId: last }, h),
    {
      onData: (e) => {
        noticeTransfer(e);
        refetchSoon();
        const given = e.kind === "conversation.assigned" || e.kind === "conversation.transferred";
        // The copy for the operator it left is no news for him.
        if (given && e.payload.copyFor !== "previous") {
          alertUser(
            "Novo atendimento",
            "Uma conversa foi atribuída a você.",
            `conversation-${e.payload.conversationId}`,
          );
        }
      },
    },
  );

  useTrackedSubscription<Stream<KindsOf<"message.">>>(
    (last, h) => api.events.onMessage.subscribe({ lastEventId: last }, h),
    {
      onData: (e) => {
        const conversationId = e.payload.conversationId;
        const inbound = e.kind === "message.created" && e.payload.direction === "IN";
        if (conversationId === selected.current) {
          void refreshNewest(qc, api, conversationId);
          if (e.kind === "message.created" && inbound) {
            // The customer wrote: the 24 h window (re)opens on screen at once.
            qc.setQueryData<Conversation[]>(MINE_KEY, (old) =>
              old?.map((c) => (c.id === conversationId ? { ...c, lastInboundAt: e.at } : c)),
            );
            // A first message may also name a contact we only knew by number.
            refetchSoon();
            if (document.visibilityState === "visible") markSoon();
            else alertNewMessage(qc, conversationId);
          }
          return;
        }
        if (e.kind !== "message.created") return;
        qc.setQueryData<Conversation[]>(MINE_KEY, (old) =>
          old
            ? sortByActivity(
                old.map((c) =>
                  c.id === conversationId
                    ? {
                        ...c,
                        unreadCount: inbound ? c.unreadCount + 1 : c.unreadCount,
                        lastMessageAt: e.at,
                        lastInboundAt: inbound ? e.at : c.lastInboundAt,
                      }
                    : c,
                ),
              )
            : old,
        );
        if (inbound) alertNewMessage(qc, conversationId);
        // The server's counts are the truth; the patch above only makes it instant.
        refetchSoon();
      },
    },
  );
}

/** A customer's new message: the notification names him when the inbox knows the conversation. */
function alertNewMessage(qc: QueryClient, conversationId: string) {
  const c = qc.getQueryData<Conversation[]>(MINE_KEY)?.find((x) => x.id === conversationId);
  const who = c?.contact.name ?? c?.contact.phone ?? "um cliente";
  alertUser(`Nova mensagem de ${who}`, "Abra o console para responder.", `conversation-${conversationId}`);
}

/** Resets the unread count on the server and in the list. */
export async function markRead(qc: QueryClient, api: ApiClient, id: string): Promise<void> {
  qc.setQueryData<Conversation[]>(MINE_KEY, (old) => old?.map((c) => (c.id === id ? { ...c, unreadCount: 0 } : c)));
  await api.conversations.markRead.mutate({ id }).catch(() => {});
}

/** Calls `fn` at most once per `ms`, always running a trailing call. */
function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const ref = useRef(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  });
  return ref.current;
}
