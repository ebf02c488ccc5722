import { formatWhen } from "../../lib/format";
import type { Message } from "../../lib/types";

/** "editada": a button that shows the earlier versions when there are some on record. */
export function EditedMark({ message, open, onToggle }: { message: Message; open: boolean; onToggle: () => void }) {
  if (!message.editedAt) return null;
  if (!message.editHistory?.length) return <span className="msg-edited">editada</span>;
  return (
    <button
      type="button"
      className="msg-edited msg-edited-button"
      aria-expanded={open}
      title="Ver o texto anterior"
      onClick={onToggle}
    >
      editada
    </button>
  );
}

/** The earlier versions of an edited message, oldest first. */
export function EditHistory({ message }: { message: Message }) {
  return (
    <ol className="msg-history" aria-label="Versões anteriores">
      {(message.editHistory ?? []).map((h, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: history only grows at the end
        <li key={i}>
          <span className="msg-struck">{h.body ?? "(sem texto)"}</span>{" "}
          <time className="muted small" dateTime={h.at}>
            {formatWhen(h.at)}
          </time>
        </li>
      ))}
    </ol>
  );
}
