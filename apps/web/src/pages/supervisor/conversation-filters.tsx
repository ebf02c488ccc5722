import { CONVERSATION_STATUS } from "../../lib/format";
import { SelectField, TextField } from "../../ui/field";

type Status = keyof typeof CONVERSATION_STATUS;
/** The filter fields as typed (dates as yyyy-mm-dd, "" for "any"). */
export type FilterValues = {
  status: Status | "";
  operatorId: string;
  tabulationId: string;
  departmentId: string;
  from: string;
  to: string;
  search: string;
  tag: string;
};
export const NO_FILTERS: FilterValues = {
  status: "",
  operatorId: "",
  tabulationId: "",
  departmentId: "",
  from: "",
  to: "",
  search: "",
  tag: "",
};

/** Supervisão › Conversas: search (contact or protocol), tag, status, operator, department, tabulation and period. */
export function ConversationFilters({
  value,
  onChange,
  operators,
  tabulations,
  departments,
}: {
  value: FilterValues;
  onChange: (next: FilterValues) => void;
  operators: { userId: string; name: string }[];
  tabulations: { id: string; name: string; active: boolean }[];
  /** Those the viewer may see (a supervisor limited to some departments gets only his). */
  departments: { id: string; name: string }[];
}) {
  const set = (patch: Partial<FilterValues>) => onChange({ ...value, ...patch });
  return (
    <search className="filters" aria-label="Filtrar conversas">
      <TextField
        label="Buscar"
        type="search"
        placeholder="Nome, telefone, e-mail ou protocolo"
        value={value.search}
        onChange={(e) => set({ search: e.target.value })}
      />
      <TextField
        label="Etiqueta"
        type="search"
        maxLength={30}
        placeholder="ex.: vip"
        value={value.tag}
        onChange={(e) => set({ tag: e.target.value })}
      />
      <SelectField
        label="Situação"
        value={value.status}
        onChange={(e) => set({ status: e.target.value as Status | "" })}
      >
        <option value="">Todas</option>
        {Object.entries(CONVERSATION_STATUS).map(([k, v]) => (
          <option key={k} value={k}>
            {v}
          </option>
        ))}
      </SelectField>
      <SelectField label="Operador" value={value.operatorId} onChange={(e) => set({ operatorId: e.target.value })}>
        <option value="">Todos</option>
        {operators.map((o) => (
          <option key={o.userId} value={o.userId}>
            {o.name}
          </option>
        ))}
      </SelectField>
      {departments.length > 0 && (
        <SelectField
          label="Departamento"
          value={value.departmentId}
          onChange={(e) => set({ departmentId: e.target.value })}
        >
          <option value="">Todos</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </SelectField>
      )}
      <SelectField label="Tabulação" value={value.tabulationId} onChange={(e) => set({ tabulationId: e.target.value })}>
        <option value="">Todas</option>
        {tabulations.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
            {t.active ? "" : " (inativa)"}
          </option>
        ))}
      </SelectField>
      <TextField label="Criadas de" type="date" value={value.from} onChange={(e) => set({ from: e.target.value })} />
      <TextField
        label="até"
        type="date"
        value={value.to}
        min={value.from || undefined}
        onChange={(e) => set({ to: e.target.value })}
      />
    </search>
  );
}
