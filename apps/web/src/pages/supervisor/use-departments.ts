import { useQuery } from "@tanstack/react-query";
import { useApi } from "../../auth/session";

export type DepartmentInfo = { id: string; name: string; color: string; openNow: boolean };

/** The departments the viewer may see, by id, for badges and filters (refreshed every minute for opening hours). */
export function useDepartments() {
  const api = useApi();
  const q = useQuery({
    queryKey: ["departments.list", "badges"],
    queryFn: () => api.departments.options.query(),
    refetchInterval: 60_000,
  });
  const list: DepartmentInfo[] = q.data ?? [];
  return { list, byId: new Map(list.map((d) => [d.id, d])) };
}
