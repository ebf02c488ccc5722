import { choiceMessage } from "../routing/menu";

export const CSAT_ID_PREFIX = "csat:";
export const CSAT_TITLES = ["1 - Muito ruim", "2 - Ruim", "3 - Regular", "4 - Bom", "5 - Excelente"];
export const DEFAULT_CSAT_QUESTION = "Como você avalia o nosso atendimento?";
/** An answer counts for this long after the question. */
export const CSAT_ANSWER_WINDOW_MS = 24 * 3600_000;

/** The satisfaction question: a list on Meta, a numbered text on Evolution. */
export function csatMessage(question: string) {
  return choiceMessage(question, CSAT_TITLES, CSAT_ID_PREFIX, "Responda com um número de 1 a 5.");
}
