import { type SQL, sql } from "drizzle-orm";

/** `AAAAMMDD-NNNNNN`, or a prefix of it (the day, or the day and some digits). */
const PROTOCOL_PREFIX = /^\d{8}(-\d{0,12})?$/;

/**
 * The protocol number of a conversation created at `at`: its day in `timezone`
 * and that day's counter, drawn from a sequence by `next_conversation_protocol`
 * (migration 0015), so concurrent creators never wait for each other.
 */
export function protocolFor(at: Date, timezone: string): SQL<string> {
  return sql<string>`next_conversation_protocol(${at.toISOString()}::timestamptz, ${timezone})`;
}

/** Whether a search text looks like (the start of) a protocol number. */
export function isProtocolSearch(text: string): boolean {
  return PROTOCOL_PREFIX.test(text.trim());
}
