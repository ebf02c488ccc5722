import { contactLabel } from "../chat/chat-view";
import { CloseDialog } from "../chat/close-dialog";
import { TransferDialog } from "../chat/transfer-dialog";
import { ShortcutsHelp } from "./shortcuts";
import { StartDialog } from "./start-dialog";

export type InboxDialog = "close" | "transfer" | "start" | "help" | null;

/** The inbox's dialogs: close, transfer (with a note for the receiver), new conversation, shortcuts help. */
export function InboxDialogs({
  dialog,
  selected,
  onClose,
  onDone,
  onStarted,
}: {
  dialog: InboxDialog;
  selected: { id: string; operatorId: string | null; contact: { name: string | null; phone: string | null } } | null;
  onClose: () => void;
  onDone: () => void;
  onStarted: (id: string) => void;
}) {
  if (dialog === "help") return <ShortcutsHelp onClose={onClose} />;
  if (dialog === "start") return <StartDialog onClose={onClose} onStarted={onStarted} />;
  if (!selected) return null;
  if (dialog === "close")
    return (
      <CloseDialog
        conversationId={selected.id}
        contactLabel={contactLabel(selected)}
        onClose={onClose}
        onDone={onDone}
      />
    );
  if (dialog === "transfer")
    return (
      <TransferDialog
        conversationId={selected.id}
        currentOperatorId={selected.operatorId}
        title="Transferir atendimento"
        onClose={onClose}
        onDone={onDone}
      />
    );
  return null;
}
