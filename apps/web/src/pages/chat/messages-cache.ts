import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import type { ApiClient } from "../../lib/api";
import type { Message, MessagePage } from "../../lib/types";

export const messagesKey = (conversationId: string) => ["messages.list", conversationId] as const;
export const PAGE_SIZE = 50;

/**
 * Brings the newest messages of a conversation into its cached history (new
 * ones and status changes), without refetching every loaded page: a chat with
 * thousands of loaded messages costs one small request per event.
 */
export async function refreshNewest(qc: QueryClient, api: ApiClient, conversationId: string): Promise<void> {
  const key = messagesKey(conversationId);
  if (!qc.getQueryData(key)) return;
  const fresh = await api.messages.list.query({ conversationId, limit: 30 });
  qc.setQueryData<InfiniteData<MessagePage, string | undefined>>(key, (old) => {
    if (!old) return old;
    const byId = new Map<string, Message>(fresh.items.map((m) => [m.id, m]));
    const known = new Set<string>();
    const pages = old.pages.map((p) => ({
      ...p,
      items: p.items.map((m) => {
        known.add(m.id);
        return byId.get(m.id) ?? m;
      }),
    }));
    const added = fresh.items.filter((m) => !known.has(m.id));
    const [first, ...rest] = pages;
    if (!first) return old;
    // Pages are newest first; a message newer than everything loaded goes on top of page one.
    const items = [...added, ...first.items].sort(newestFirst);
    return { ...old, pages: [{ ...first, items }, ...rest] };
  });
}

function newestFirst(a: Message, b: Message): number {
  const ta = String(a.createdAt);
  const tb = String(b.createdAt);
  if (ta !== tb) return ta < tb ? 1 : -1;
  // Two of one second (providers stamp whole seconds): the later inserted is the newer, as the server orders them.
  return b.seq - a.seq;
}
