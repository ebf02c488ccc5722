import type { InstanceRouting } from "@elsehu/db";
import type { InteractiveInput } from "@elsehu/providers";
import { normalizeKeyword } from "../campaigns/handle-opt-out";

type Menu = Extract<InstanceRouting, { mode: "MENU" }>;

/** Reply buttons take titles up to 20 characters. */
const BUTTON_TITLE_MAX = 20;

/**
 * Numbered choices as the customer sees them: reply buttons for 3 options or fewer
 * (when every title fits a button), a list otherwise; `fallbackText` numbers them for
 * providers without interactive messages (Evolution).
 */
export function choiceMessage(
  body: string,
  titles: string[],
  idPrefix: string,
  hint = "Responda com o número da opção.",
): InteractiveInput {
  const options = titles.map((title, i) => ({ id: `${idPrefix}${i + 1}`, title }));
  const buttons = titles.length <= 3 && titles.every((t) => t.length <= BUTTON_TITLE_MAX);
  const numbered = titles.map((t, i) => `${i + 1}. ${t}`).join("\n");
  return {
    kind: buttons ? "buttons" : "list",
    body,
    ...(buttons ? {} : { button: "Ver opções" }),
    options,
    fallbackText: `${body}\n\n${numbered}\n\n${hint}`,
  };
}

export const MENU_ID_PREFIX = "menu:";

export function menuMessage(menu: Menu): InteractiveInput {
  return choiceMessage(
    menu.greeting,
    menu.options.map((o) => o.title),
    MENU_ID_PREFIX,
  );
}

/**
 * Which option (1-based) an answer picks, or null: the button or list row id, the
 * option's number ("2", "2."), or its title typed in any case, with or without
 * accents and punctuation ("suporte tecnico", "2 - Suporte técnico").
 */
export function matchChoice(
  answer: { replyId?: string | null; text?: string | null },
  titles: string[],
  idPrefix: string,
): number | null {
  const inRange = (n: number) => (Number.isInteger(n) && n >= 1 && n <= titles.length ? n : null);
  if (answer.replyId?.startsWith(idPrefix)) {
    const n = inRange(Number(answer.replyId.slice(idPrefix.length)));
    if (n) return n;
  }
  const said = normalizeKeyword(answer.text ?? "");
  if (!said) return null;
  if (/^\d+$/.test(said)) return inRange(Number(said));
  const normalized = titles.map((t) => normalizeKeyword(t));
  const byTitle = normalized.indexOf(said);
  if (byTitle >= 0) return byTitle + 1;
  // "2 Suporte" / "2 - Suporte": the number and its own title.
  const numbered = /^(\d+) (.+)$/.exec(said);
  if (numbered) {
    const n = inRange(Number(numbered[1]));
    if (n && normalized[n - 1] === numbered[2]) return n;
  }
  return null;
}
