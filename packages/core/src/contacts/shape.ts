import type { contacts } from "@elsehu/db";
import { z } from "zod";
import { DomainError } from "../shared/errors";
import { type NormalizedPhone, normalizePhone } from "./phone";

export type ContactRow = typeof contacts.$inferSelect;

/** What the API shows of a contact; `searchText` is an internal index column. */
export function publicContact(row: ContactRow) {
  return {
    id: row.id,
    phone: row.phone,
    name: row.name,
    email: row.email,
    tags: row.tags,
    customFields: row.customFields,
    optedOutAt: row.optedOutAt,
    erasedAt: row.erasedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
export type PublicContact = ReturnType<typeof publicContact>;

export const ContactFields = z.object({
  name: z.string().trim().max(200).nullable().optional(),
  email: z.string().trim().toLowerCase().email().max(254).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  customFields: z.record(z.string().trim().min(1).max(100), z.string().max(2000)).optional(),
  /** true opts the contact out of campaigns now; false opts him back in. */
  optedOut: z.boolean().optional(),
});

/** Normalises `phone` or throws a VALIDATION error naming the value. */
export function requirePhone(phone: string, region: string): NormalizedPhone {
  const n = normalizePhone(phone, region);
  if (!n) {
    throw new DomainError("PHONE_INVALID", `phone: "${phone.slice(0, 40)}" is not a valid phone number`, {
      field: "phone",
      value: phone.slice(0, 40),
    });
  }
  return n;
}

/** Tags are compared case-insensitively and kept once. */
export function cleanTags(tags: string[]): string[] {
  const seen = new Map<string, string>();
  for (const t of tags) if (!seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  return [...seen.values()];
}
