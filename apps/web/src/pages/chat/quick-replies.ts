import { useQuery } from "@tanstack/react-query";
import { useApi } from "../../auth/session";

export const QUICK_REPLIES_KEY = ["quickReplies.list"] as const;

/** What `{{nome}}`, `{{operador}}` and `{{protocolo}}` become in a quick reply. */
export type QuickReplyValues = { nome: string; operador: string; protocolo: string };

/** A quick reply's text with its variables filled in (unknown ones stay as typed). */
export function fillVariables(body: string, values: QuickReplyValues): string {
  return body.replace(/\{\{\s*(nome|operador|protocolo)\s*\}\}/gi, (_w, name: string) => {
    const key = name.toLowerCase() as keyof QuickReplyValues;
    return values[key];
  });
}

/** The viewer's quick replies (his own and the shared ones), cached for the session. */
export function useQuickReplies(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: QUICK_REPLIES_KEY,
    queryFn: () => api.quickReplies.list.query({}),
    staleTime: 60_000,
    enabled,
  });
}

/** The `/query` being typed, when the text is only a slash and a word; null otherwise. */
export function slashQuery(text: string): string | null {
  const m = /^\/([^\s/]*)$/.exec(text);
  return m ? (m[1] ?? "").toLowerCase() : null;
}
