import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { Loading } from "../../ui/feedback";
import { FormDialog } from "../../ui/form-dialog";
import { useToast } from "../../ui/toast";

type Pick = { selected: boolean; capacity: string };

/** Chooses a department's operators (with an optional capacity there) and the supervisors who watch it. */
export function MembersDialog({
  department,
  onClose,
  onDone,
}: {
  department: { id: string; name: string };
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const toast = useToast();
  const people = useQuery({
    queryKey: ["departments.people"],
    queryFn: async () => {
      const [ops, sups] = await Promise.all([
        api.users.list.query({ role: "OPERATOR", active: true, limit: 200 }),
        api.users.list.query({ role: "SUPERVISOR", active: true, limit: 200 }),
      ]);
      return [...ops.items, ...sups.items].sort((a, b) => a.name.localeCompare(b.name));
    },
  });
  const current = useQuery({
    queryKey: ["departments.members", department.id],
    queryFn: () => api.departments.members.query({ id: department.id }),
  });
  const [picks, setPicks] = useState<Record<string, Pick>>({});
  useEffect(() => {
    if (!current.data) return;
    setPicks(
      Object.fromEntries(
        current.data.map((m) => [
          m.userId,
          { selected: true, capacity: m.maxConcurrent ? String(m.maxConcurrent) : "" },
        ]),
      ),
    );
  }, [current.data]);
  const save = useMutation({
    mutationFn: () =>
      api.departments.setMembers.mutate({
        departmentId: department.id,
        members: Object.entries(picks)
          .filter(([, p]) => p.selected)
          .map(([userId, p]) => ({ userId, maxConcurrent: p.capacity ? Number(p.capacity) : null })),
      }),
    onSuccess: (r) => {
      toast(`${department.name}: ${r.members} membro(s).`);
      onDone();
    },
  });
  const set = (id: string, p: Partial<Pick>) =>
    setPicks((all) => ({ ...all, [id]: { selected: false, capacity: "", ...all[id], ...p } }));
  return (
    <FormDialog
      title={`Membros de ${department.name}`}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error && errorMessage(save.error)}
      pending={save.isPending}
      canSubmit={!!people.data}
      submitLabel="Salvar membros"
      wide
    >
      <p className="muted">
        Operadores recebem as conversas do departamento; supervisores marcados passam a ver só os seus departamentos. A
        capacidade aqui (opcional) substitui a do operador para as conversas deste departamento.
      </p>
      {(people.isLoading || current.isLoading) && <Loading />}
      {people.data?.map((u) => {
        const p = picks[u.id];
        return (
          <div key={u.id} className="member-row">
            <label>
              <input
                type="checkbox"
                checked={p?.selected ?? false}
                onChange={(e) => set(u.id, { selected: e.target.checked })}
              />{" "}
              {u.name} <span className="muted">({u.role === "OPERATOR" ? "operador" : "supervisor"})</span>
            </label>
            {u.role === "OPERATOR" && p?.selected && (
              <label>
                Capacidade{" "}
                <input
                  type="number"
                  min={1}
                  max={100}
                  placeholder={String(u.maxConcurrent)}
                  aria-label={`Capacidade de ${u.name} neste departamento`}
                  value={p.capacity}
                  onChange={(e) => set(u.id, { capacity: e.target.value })}
                />
              </label>
            )}
          </div>
        );
      })}
    </FormDialog>
  );
}
