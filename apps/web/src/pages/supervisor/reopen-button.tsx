import { useMutation } from "@tanstack/react-query";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { useToast } from "../../ui/toast";

/** Puts a finished conversation back in the queue (the assignment picks an operator). */
export function ReopenButton({ id, onDone }: { id: string; onDone: () => void }) {
  const api = useApi();
  const toast = useToast();
  const reopen = useMutation({
    mutationFn: () => api.conversations.reopen.mutate({ id }),
    onSuccess: () => {
      toast("Conversa reaberta e colocada na fila.");
      onDone();
    },
    onError: (err) => toast(errorMessage(err)),
  });
  return (
    <button type="button" className="btn" disabled={reopen.isPending} onClick={() => reopen.mutate()}>
      {reopen.isPending ? "Reabrindo…" : "Reabrir"}
    </button>
  );
}
