import type { Message } from "../../lib/types";
import { snippetOf } from "./own-reactions";

/** The message being answered, with a way to answer nothing instead. */
export function ReplyBanner({ replyTo, onClear }: { replyTo: Message; onClear: () => void }) {
  return (
    <div className="composer-reply">
      <span>
        Respondendo a: <q>{snippetOf(replyTo)}</q>
      </span>
      <button type="button" className="btn btn-ghost btn-small" onClick={onClear}>
        Cancelar resposta
      </button>
    </div>
  );
}
