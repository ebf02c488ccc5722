import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { Message } from "../../lib/types";
import { useToast } from "../../ui/toast";

/** A customer's media not downloaded (yet): loading, unavailable (ask the provider again) or expired. */
export function MediaState({ message }: { message: Message }) {
  const api = useApi();
  const toast = useToast();
  const [asked, setAsked] = useState(false);
  const state = message.media?.state;
  if (state === "pending" || asked) {
    return (
      <span className="msg-media msg-media-pending muted" role="status">
        <span className="spinner-dot" aria-hidden="true" /> Carregando mídia…
      </span>
    );
  }
  if (state === "expired") {
    return <span className="msg-media muted">Mídia expirada: o WhatsApp só a guarda por 30 dias</span>;
  }
  if (state !== "failed") return null;
  const retry = async () => {
    setAsked(true);
    try {
      await api.messages.refetchMedia.mutate({ messageId: message.id });
    } catch (err) {
      setAsked(false);
      toast(errorMessage(err));
    }
  };
  return (
    <span className="msg-media msg-media-failed">
      ⚠ Mídia indisponível{" "}
      <button type="button" className="btn btn-ghost btn-small" onClick={() => void retry()}>
        Pedir novamente
      </button>
    </span>
  );
}
