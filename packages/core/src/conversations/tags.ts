import { z } from "zod";

/** At most this many tags on one conversation. */
export const MAX_CONVERSATION_TAGS = 10;
export const MAX_TAG_LENGTH = 30;

/** A tag as stored: trimmed, inner spaces collapsed, lower case (so "VIP" and "vip" are one tag). */
export const normalizeTag = (t: string) => t.trim().replace(/\s+/g, " ").toLowerCase();

/** One tag as input: 1–30 characters after trimming, no control characters. */
export const Tag = z
  .string()
  .transform(normalizeTag)
  .pipe(
    z
      .string()
      .min(1, "empty tag")
      .max(MAX_TAG_LENGTH, `at most ${MAX_TAG_LENGTH} characters`)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
      .regex(/^[^\u0000-\u001f\u007f]+$/, "control characters are not allowed"),
  );

/** A tag used as a filter (conversation lists, reports). */
export const TagFilter = Tag;
