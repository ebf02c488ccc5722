import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { formatDateTime } from "../../lib/format";
import { SelectField, TextField } from "../../ui/field";
import { ListPage } from "../../ui/list-page";
import { AUDIT_ACTION_LABEL, actionLabel, detailsOf, targetLabel } from "./audit-labels";

const PAGE = 50;

/** A yyyy-mm-dd from a date input as the start (or end) of that day, local time. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T${end ? "23:59:59.999" : "00:00:00"}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Administração › Auditoria: who did what and when, filtered by person, action and period. */
export default function AuditPage() {
  const api = useApi();
  const [actorId, setActorId] = useState("");
  const [action, setAction] = useState("");
  const [fromDay, setFromDay] = useState("");
  const [toDay, setToDay] = useState("");
  const users = useQuery({
    queryKey: ["users.list", "audit-actors"],
    queryFn: () => api.users.list.query({ limit: 200 }),
  });
  const filters = {
    actorId: actorId || undefined,
    action: action || undefined,
    from: dayBound(fromDay, false),
    to: dayBound(toDay, true),
  };
  const list = useInfiniteQuery({
    queryKey: ["audit.list", filters],
    queryFn: ({ pageParam }) => api.audit.list.query({ ...filters, cursor: pageParam, limit: PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(actorId || action || fromDay || toDay);

  return (
    <ListPage
      title="Auditoria"
      intro={
        <p className="muted">Quem fez o quê e quando: entradas no sistema, contatos, importações, números e mais.</p>
      }
      filtersLabel="Filtrar auditoria"
      filters={
        <>
          <SelectField label="Pessoa" value={actorId} onChange={(e) => setActorId(e.target.value)}>
            <option value="">Todas</option>
            {users.data?.items.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
          <SelectField label="Ação" value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">Todas</option>
            {Object.entries(AUDIT_ACTION_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          <TextField label="De" type="date" value={fromDay} onChange={(e) => setFromDay(e.target.value)} />
          <TextField label="Até" type="date" value={toDay} onChange={(e) => setToDay(e.target.value)} />
        </>
      }
      query={list}
      rows={rows}
      empty={{
        title: filtered ? "Nenhum registro encontrado" : "Nenhum registro ainda",
        body: filtered ? "Mude a pessoa, a ação ou o período." : "As ações registradas aparecem aqui.",
      }}
      caption="Registros de auditoria"
      columns={
        <>
          <th scope="col">Quando</th>
          <th scope="col">Pessoa</th>
          <th scope="col">Ação</th>
          <th scope="col">Alvo</th>
          <th scope="col">Detalhes</th>
        </>
      }
      rowKey={(e) => e.id}
      cells={(e) => (
        <>
          <td>{formatDateTime(e.at)}</td>
          <td>{e.actor ? e.actor.name : <span className="muted">desconhecido</span>}</td>
          <td>{actionLabel(e.action)}</td>
          <td>{targetLabel(e.targetType, e.targetId)}</td>
          <td className="muted">{detailsOf(e.data)}</td>
          <td />
        </>
      )}
    />
  );
}
