import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime, formatPhone } from "../../lib/format";
import type { Out } from "../../lib/types";
import { useDebounced } from "../../lib/use-debounced";
import { ErrorBox, Loading } from "../../ui/feedback";

export type SearchHit = Out["messages"]["search"]["items"][number];

/** The server marks matched words with these (control characters no message shows). */
const START = "\u0002";
const END = "\u0003";

/**
 * "Buscar nas mensagens": full-text search (accents ignored) over the
 * conversations the user may read, newest first, each hit with its matched
 * words highlighted; choosing one opens its conversation at the message.
 */
export function MessageSearch({ onOpen }: { onOpen: (hit: SearchHit) => void }) {
  const api = useApi();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const q = useDebounced(text.trim(), 300);
  const ok = q.length >= 2;
  const search = useInfiniteQuery({
    queryKey: ["messages.search", q],
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      api.messages.search.query({ query: q, cursor: pageParam, limit: 20 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: ok,
  });
  const hits = search.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <search className="msg-search">
      <label htmlFor="msg-search-input" className="sr-only">
        Buscar nas mensagens
      </label>
      <input
        id="msg-search-input"
        type="search"
        placeholder="Buscar nas mensagens"
        maxLength={100}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setOpen(false);
        }}
      />
      {open && ok && (
        <div className="msg-search-results" aria-live="polite">
          {search.isPending && <Loading label="Buscando…" />}
          {search.error && <ErrorBox message={errorMessage(search.error)} />}
          {search.isSuccess && hits.length === 0 && <p className="muted small">Nenhuma mensagem encontrada.</p>}
          {hits.length > 0 && (
            <ul aria-label="Resultados da busca">
              {hits.map((h) => (
                <li key={h.id}>
                  <button
                    type="button"
                    className="search-hit"
                    onClick={() => {
                      setOpen(false);
                      onOpen(h);
                    }}
                  >
                    <span className="search-hit-head">
                      <strong>{h.contact.name || formatPhone(h.contact.phone) || "Contato sem nome"}</strong>
                      <span className="muted small">
                        {h.protocol} · {formatDateTime(h.createdAt)}
                        {h.readOnly ? " · somente leitura" : ""}
                      </span>
                    </span>
                    <Snippet text={h.snippet} />
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="row-actions">
            {search.hasNextPage && (
              <button type="button" className="btn btn-small" onClick={() => void search.fetchNextPage()}>
                Mais resultados
              </button>
            )}
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setOpen(false)}>
              Fechar
            </button>
          </div>
        </div>
      )}
    </search>
  );
}

/** The snippet with its matched words in <mark>, built as elements (never as HTML). */
function Snippet({ text }: { text: string }) {
  const pieces: Array<{ at: number; text: string; hit: boolean }> = [];
  let at = 0;
  for (const chunk of text.split(START)) {
    const end = chunk.indexOf(END);
    if (end >= 0 && at > 0) {
      pieces.push({ at, text: chunk.slice(0, end), hit: true });
      pieces.push({ at: at + end + 1, text: chunk.slice(end + 1), hit: false });
    } else pieces.push({ at, text: chunk.replaceAll(END, ""), hit: false });
    at += chunk.length + 1;
  }
  return (
    <span className="search-hit-snippet">
      {pieces.map((p) => (p.hit ? <mark key={p.at}>{p.text}</mark> : <span key={p.at}>{p.text}</span>))}
    </span>
  );
}
