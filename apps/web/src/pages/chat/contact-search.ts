import { useQuery } from "@tanstack/react-query";
import { useApi, useMe } from "../../auth/session";

export type PickedContact = { key: string; name: string; phone: string };

/**
 * Contacts to share, matching `search`: staff search the whole contact book; an operator
 * (who may not list it) picks among the customers of his open conversations.
 */
export function useContactSearch(search: string) {
  const api = useApi();
  const me = useMe();
  const term = search.trim();
  const staff = me.role !== "OPERATOR";
  return useQuery({
    queryKey: ["contact-card-search", staff, staff ? term : ""],
    enabled: !staff || term.length >= 2,
    queryFn: async (): Promise<PickedContact[]> => {
      if (staff) {
        const page = await api.contacts.list.query({ search: term, limit: 8 });
        return page.items.flatMap((c) => (c.phone ? [{ key: c.id, name: c.name ?? c.phone, phone: c.phone }] : []));
      }
      const mine = await api.conversations.mine.query();
      return mine.flatMap((c) =>
        c.contact.phone ? [{ key: c.id, name: c.contact.name ?? c.contact.phone, phone: c.contact.phone }] : [],
      );
    },
    select: (list) => {
      const folded = fold(term);
      const digits = term.replace(/\D/g, "");
      return list
        .filter((c) => !folded || fold(c.name).includes(folded) || (digits !== "" && c.phone.includes(digits)))
        .slice(0, 8);
    },
  });
}

const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
