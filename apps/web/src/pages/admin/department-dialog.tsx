import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { Out } from "../../lib/types";
import { CheckboxField, SelectField, TextField } from "../../ui/field";
import { FormDialog } from "../../ui/form-dialog";
import { useToast } from "../../ui/toast";
import { DepartmentBadge } from "../supervisor/department-badge";
import { type Hours, HoursFields } from "./department-hours-fields";
import { AutoTextField, CSAT_TITLES, DEFAULT_CSAT_QUESTION } from "./department-message-fields";

type Department = Out["departments"]["list"][number];

/** A department's settings: name, colour, hours, automatic messages and the satisfaction survey. */
export function DepartmentDialog({
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
  return (
    <FormDialog
      title={department ? `Editar ${department.name}` : "Novo departamento"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error && errorMessage(save.error)}
      pending={save.isPending}
      canSubmit={!!name.trim()}
      submitLabel={department ? "Salvar" : "Criar departamento"}
    >
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
    </FormDialog>
  );
}
