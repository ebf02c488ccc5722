import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { Out } from "../../lib/types";
import { Dialog } from "../../ui/dialog";
import { ErrorBox } from "../../ui/feedback";
import { CheckboxField, SelectField, TextField } from "../../ui/field";
import { ListPage } from "../../ui/list-page";
import { useToast } from "../../ui/toast";
import { DepartmentBadge } from "../supervisor/department-badge";
import { type Hours, HoursFields } from "./department-hours-fields";
import { MembersDialog } from "./department-members-dialog";
import { AutoTextField, CSAT_TITLES, DEFAULT_CSAT_QUESTION } from "./department-message-fields";

type Department = Out["departments"]["list"][number];
const KEY = ["departments.list"];

/** Administração › Departamentos: the teams (filas/setores), their members and queues. */
export default function DepartmentsPage() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState<Department | "new" | null>(null);
  const [members, setMembers] = useState<Department | null>(null);
  const list = useQuery({
    queryKey: [...KEY, "all"],
    queryFn: async () =>
      (await api.departments.list.query({ includeArchived: true })).filter((d): d is Department => "archived" in d),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: KEY });
  const archive = useMutation({
    mutationFn: (d: Department) => api.departments.archive.mutate({ id: d.id, archived: !d.archived }),
    onSuccess: (d) => {
      toast(d.archived ? `Departamento ${d.name} arquivado.` : `Departamento ${d.name} restaurado.`);
      void refresh();
    },
    onError: (e) => toast(errorMessage(e)),
  });
  return (
    <ListPage
      title="Departamentos"
      action={{ label: "Novo departamento", onClick: () => setEditing("new") }}
      intro={
        <p className="muted">
          Cada departamento tem sua própria fila: as conversas dele vão só para os seus operadores online.
        </p>
      }
      query={list}
      rows={list.data ?? []}
      empty={{
        title: "Nenhum departamento ainda",
        body: "Sem departamentos, todas as conversas entram na fila geral. Crie Vendas, Suporte, Financeiro…",
      }}
      caption="Departamentos"
      columns={
        <>
          <th scope="col">Nome</th>
          <th scope="col">Situação</th>
          <th scope="col">Membros</th>
          <th scope="col">Online</th>
          <th scope="col">Na fila</th>
        </>
      }
      rowKey={(d) => d.id}
      cells={(d) => (
        <>
          <td>
            <DepartmentBadge name={d.name} color={d.color} />
          </td>
          <td>
            <span className={d.archived ? "badge badge-off" : d.openNow ? "badge badge-ok" : "badge"}>
              {d.archived ? "Arquivado" : d.openNow ? "Aberto" : "Fora do horário"}
            </span>
          </td>
          <td>{d.members}</td>
          <td>{d.online}</td>
          <td>{d.waiting}</td>
          <td className="actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setEditing(d)}
              aria-label={`Editar ${d.name}`}
            >
              Editar
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setMembers(d)}
              aria-label={`Membros de ${d.name}`}
            >
              Membros
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => archive.mutate(d)}
              aria-label={`${d.archived ? "Restaurar" : "Arquivar"} ${d.name}`}
            >
              {d.archived ? "Restaurar" : "Arquivar"}
            </button>
          </td>
        </>
      )}
    >
      {editing && (
        <DepartmentDialog
          department={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
      {members && (
        <MembersDialog
          department={members}
          onClose={() => setMembers(null)}
          onDone={() => {
            setMembers(null);
            void refresh();
          }}
        />
      )}
    </ListPage>
  );
}

function DepartmentDialog({
  department,
  onClose,
  onDone,
}: {
  department: Department | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const toast = useToast();
  const [name, setName] = useState(department?.name ?? "");
  const [color, setColor] = useState(department?.color ?? "#2563eb");
  const [hours, setHours] = useState<Hours | null>(department?.hours ?? null);
  const [outOfHours, setOutOfHours] = useState(department?.outOfHoursMessage ?? "");
  const [closeTab, setCloseTab] = useState(department?.outOfHoursTabulationId ?? "");
  const [greeting, setGreeting] = useState(department?.greetingMessage ?? "");
  const [farewell, setFarewell] = useState(department?.farewellMessage ?? "");
  const [csat, setCsat] = useState(department?.csatEnabled ?? false);
  const [question, setQuestion] = useState(department?.csatQuestion ?? "");
  const tabulations = useQuery({ queryKey: ["tabulations.list"], queryFn: () => api.tabulations.list.query() });
  const text = (v: string) => (v.trim() ? v.trim() : null);
  const fields = () => ({
    name: name.trim(),
    color,
    hours,
    outOfHoursMessage: text(outOfHours),
    outOfHoursTabulationId: closeTab || null,
    greetingMessage: text(greeting),
    farewellMessage: text(farewell),
    csatEnabled: csat,
    csatQuestion: text(question),
  });
  const save = useMutation({
    mutationFn: () =>
      department
        ? api.departments.update.mutate({ id: department.id, ...fields() })
        : api.departments.create.mutate(fields()),
    onSuccess: (d) => {
      toast(department ? `Departamento ${d.name} salvo.` : `Departamento ${d.name} criado.`);
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) save.mutate();
  };
  return (
    <Dialog title={department ? `Editar ${department.name}` : "Novo departamento"} onClose={onClose}>
      <form className="dialog-body" onSubmit={submit}>
        {save.error && <ErrorBox message={errorMessage(save.error)} />}
        <TextField
          label="Nome"
          required
          autoFocus
          maxLength={60}
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint="Ex.: Vendas, Suporte, Financeiro"
        />
        <TextField label="Cor" type="color" value={color} onChange={(e) => setColor(e.target.value)} />
        <p>
          Prévia: <DepartmentBadge name={name.trim() || "Departamento"} color={color} />
        </p>
        <HoursFields value={hours} onChange={setHours} />
        {hours && (
          <>
            <AutoTextField
              label="Mensagem fora do horário"
              value={outOfHours}
              onChange={setOutOfHours}
              hint="Enviada uma vez por conversa a quem chega fora do horário."
            />
            <SelectField
              label="Fora do horário, a conversa"
              value={closeTab}
              onChange={(e) => setCloseTab(e.target.value)}
            >
              <option value="">Aguarda na fila até abrir</option>
              {(tabulations.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  É encerrada com a tabulação “{t.name}”
                </option>
              ))}
            </SelectField>
          </>
        )}
        <AutoTextField
          label="Saudação ao assumir"
          value={greeting}
          onChange={setGreeting}
          hint="Enviada quando um operador assume a conversa."
        />
        <AutoTextField
          label="Despedida ao encerrar"
          value={farewell}
          onChange={setFarewell}
          hint="Enviada quando o operador encerra a conversa."
        />
        <CheckboxField
          label="Pesquisa de satisfação (nota de 1 a 5) após encerrar"
          checked={csat}
          onChange={(e) => setCsat(e.target.checked)}
        />
        {csat && (
          <AutoTextField
            label="Pergunta da pesquisa"
            value={question}
            onChange={setQuestion}
            hint={`Vazio: “${DEFAULT_CSAT_QUESTION}”.`}
            options={CSAT_TITLES}
          />
        )}
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancelar
          </button>
          <button type="submit" className="btn btn-primary" disabled={!name.trim() || save.isPending}>
            {save.isPending ? "Salvando…" : department ? "Salvar" : "Criar departamento"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
