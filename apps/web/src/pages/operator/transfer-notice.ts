import { useMe } from "../../auth/session";
import type { KindsOf, Stream } from "../../lib/types";
import { useToast } from "../../ui/toast";

/**
 * A conversation handed to me with a note: the note travels with it, so I read
 * it at once (a toast), before opening the chat where it also stands in the timeline.
 */
export function useTransferNotice(): (e: Stream<KindsOf<"conversation.">>) => void {
  const me = useMe();
  const toast = useToast();
  return (e) => {
    if (e.kind !== "conversation.transferred" && e.kind !== "conversation.assigned") return;
    const p = e.payload;
    if (p.copyFor === "previous" || p.operatorId !== me.id || !p.note) return;
    toast(`${p.byName ?? "Um colega"} transferiu uma conversa para você: “${p.note}”`);
  };
}
