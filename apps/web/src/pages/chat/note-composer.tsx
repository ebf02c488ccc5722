import { useMutation } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useId, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { ErrorBox } from "../../ui/feedback";

/**
 * Writes an internal note in the conversation's timeline: seen by the team
 * (whoever may read the conversation), never sent to the customer.
 */
export function NoteComposer({ conversationId, onSaved }: { conversationId: string; onSaved: () => void }) {
  const api = useApi();
  const [text, setText] = useState("");
  const id = useId();
  const save = useMutation({
    mutationFn: () => api.messages.addNote.mutate({ conversationId, body: text.trim() }),
    onSuccess: () => {
      setText("");
      onSaved();
    },
  });
  const canSave = text.trim() !== "" && !save.isPending;
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (canSave) save.mutate();
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };
  return (
    <form className="composer composer-note" onSubmit={submit}>
      {save.error && <ErrorBox message={errorMessage(save.error)} />}
      <p className="muted small composer-note-hint">🔒 Nota interna: só a equipe vê; o cliente não recebe.</p>
      <div className="composer-row">
        <label htmlFor={id} className="sr-only">
          Nota interna
        </label>
        <textarea
          id={id}
          rows={2}
          placeholder="Escreva uma nota para a equipe… (Enter salva)"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          maxLength={2000}
        />
        <button type="submit" className="btn btn-note" disabled={!canSave}>
          {save.isPending ? "Salvando…" : "Salvar nota"}
        </button>
      </div>
    </form>
  );
}
