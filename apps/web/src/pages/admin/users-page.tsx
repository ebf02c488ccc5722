import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi, useMe } from "../../auth/session";
import type { ApiClient } from "../../lib/api";
import { formatDateTime, ROLE_LABEL, type Role } from "../../lib/format";
import { useDebounced } from "../../lib/use-debounced";
import { SelectField, TextField } from "../../ui/field";
import { ListPage } from "../../ui/list-page";
import { ResetPasswordDialog } from "./reset-password-dialog";
import { UserFormDialog } from "./user-form-dialog";

export type UserRow = Awaited<ReturnType<ApiClient["users"]["list"]["query"]>>["items"][number];
type Dialog = { kind: "create" } | { kind: "edit"; user: UserRow } | { kind: "reset"; user: UserRow } | null;

const PAGE = 50;

export default function UsersPage() {
  const api = useApi();
  const me = useMe();
  const [search, setSearch] = useState("");
  const [role, setRole] = useState<Role | "">("");
  const [active, setActive] = useState<"" | "true" | "false">("");
  const [dialog, setDialog] = useState<Dialog>(null);
  const q = useDebounced(search.trim());
  const filters = { search: q || undefined, role: role || undefined, active: active ? active === "true" : undefined };

  const list = useInfiniteQuery({
    queryKey: ["users.list", filters],
    queryFn: ({ pageParam }) => api.users.list.query({ ...filters, cursor: pageParam, limit: PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(filters.search || filters.role || filters.active !== undefined);

  return (
    <ListPage
      title="Usuários"
      action={{ label: "Novo usuário", onClick: () => setDialog({ kind: "create" }) }}
      filtersLabel="Filtrar usuários"
      filters={
        <>
          <TextField
            label="Buscar"
            type="search"
            placeholder="Nome ou e-mail"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <SelectField label="Perfil" value={role} onChange={(e) => setRole(e.target.value as Role | "")}>
            <option value="">Todos</option>
            <option value="OPERATOR">Operador</option>
            <option value="SUPERVISOR">Supervisor</option>
            <option value="ADMIN">Administrador</option>
          </SelectField>
          <SelectField
            label="Situação"
            value={active}
            onChange={(e) => setActive(e.target.value as "" | "true" | "false")}
          >
            <option value="">Todos</option>
            <option value="true">Ativos</option>
            <option value="false">Inativos</option>
          </SelectField>
        </>
      }
      query={list}
      rows={rows}
      empty={{
        title: filtered ? "Nenhum usuário encontrado" : "Nenhum usuário ainda",
        body: filtered ? "Mude a busca ou os filtros." : "Crie o primeiro usuário com o botão “Novo usuário”.",
      }}
      caption="Lista de usuários"
      columns={
        <>
          <th scope="col">Nome</th>
          <th scope="col">E-mail</th>
          <th scope="col">Perfil</th>
          <th scope="col">Situação</th>
          <th scope="col" className="num">
            Máx. simultâneos
          </th>
          <th scope="col">Criado em</th>
        </>
      }
      rowKey={(u) => u.id}
      cells={(u) => (
        <>
          <td>
            {u.name}
            {u.id === me.id && <span className="badge">você</span>}
          </td>
          <td>{u.email}</td>
          <td>{ROLE_LABEL[u.role]}</td>
          <td>
            <span className={u.active ? "badge badge-ok" : "badge badge-off"}>{u.active ? "Ativo" : "Inativo"}</span>
          </td>
          <td className="num">{u.maxConcurrent}</td>
          <td>{formatDateTime(u.createdAt)}</td>
          <td className="actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setDialog({ kind: "edit", user: u })}
              aria-label={`Editar ${u.name}`}
            >
              Editar
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setDialog({ kind: "reset", user: u })}
              aria-label={`Redefinir senha de ${u.name}`}
            >
              Redefinir senha
            </button>
          </td>
        </>
      )}
    >
      {dialog?.kind === "create" && <UserFormDialog onClose={() => setDialog(null)} />}
      {dialog?.kind === "edit" && <UserFormDialog user={dialog.user} onClose={() => setDialog(null)} />}
      {dialog?.kind === "reset" && <ResetPasswordDialog user={dialog.user} onClose={() => setDialog(null)} />}
    </ListPage>
  );
}
