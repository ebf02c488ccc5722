import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";

/** Most tags a conversation takes (the server checks too). */
const MAX_TAGS = 10;

/**
 * The conversation's tags as chips (removable by whoever may change it), a box
 * to add one, and the contact's own tags beside them, read-only.
 */
export function ConversationTags({
  conversationId,
  tags,
  contactTags,
  editable,
  onChanged,
}: {
  conversationId: string;
  tags: string[];
  contactTags: string[];
  editable: boolean;
  onChanged: (tags: string[]) => void;
}) {
  const api = useApi();
  const [text, setText] = useState("");
  const id = useId();
  const change = useMutation({
    mutationFn: (patch: { add?: string[]; remove?: string[] }) =>
      api.conversations.tag.mutate({ id: conversationId, ...patch }),
    onSuccess: (r) => {
      setText("");
      onChanged(r.tags);
    },
  });
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) change.mutate({ add: [text.trim()] });
  };
  return (
    <div className="tags">
      <ul className="tag-list" aria-label="Etiquetas da conversa">
        {tags.map((t) => (
          <li key={t} className="tag">
            {t}
            {editable && (
              <button
                type="button"
                className="tag-remove"
                aria-label={`Remover etiqueta ${t}`}
                disabled={change.isPending}
                onClick={() => change.mutate({ remove: [t] })}
              >
                ×
              </button>
            )}
          </li>
        ))}
        {contactTags.map((t) => (
          <li key={`contact-${t}`} className="tag tag-contact" title="Etiqueta do contato">
            👤 {t}
          </li>
        ))}
      </ul>
      {editable && tags.length < MAX_TAGS && (
        <form className="tag-form" onSubmit={add}>
          <label htmlFor={id} className="sr-only">
            Nova etiqueta
          </label>
          <input
            id={id}
            className="tag-input"
            placeholder="+ etiqueta"
            maxLength={30}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </form>
      )}
      {change.error && (
        <p className="field-error" role="alert">
          {errorMessage(change.error)}
        </p>
      )}
    </div>
  );
}
