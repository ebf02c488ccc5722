import { SelectField, TextField } from "../../ui/field";
import type { Audience } from "./campaign-audience-fields";

export type SourceKind = "csv" | "contact" | "text";
/** Where one template variable takes its value: a CSV column, a contact field or a fixed text. */
export type Source = { kind: SourceKind; value: string };
const CONTACT_FIELDS = [
  ["name", "Nome do contato"],
  ["phone", "Telefone do contato"],
  ["email", "E-mail do contato"],
] as const;

/** Campaign form › "Variáveis do modelo": one row per template variable choosing its source. */
export function VariableFields({
  variables,
  audience,
  sourceOf,
  onSource,
}: {
  variables: string[];
  audience: Audience;
  sourceOf: (v: string) => Source;
  onSource: (v: string, s: Source) => void;
}) {
  return (
    <fieldset className="fieldset">
      <legend>Variáveis do modelo</legend>
      {variables.map((v) => {
        const s = sourceOf(v);
        const set = (next: Partial<Source>) => onSource(v, { ...s, ...next });
        return (
          <div key={v} className="mapping-row">
            <span className="mapping-var">{`{{${v}}}`}</span>
            <SelectField
              label={`Origem de {{${v}}}`}
              value={s.kind}
              onChange={(e) => {
                const kind = e.target.value as SourceKind;
                set({ kind, value: kind === "contact" ? "name" : kind === "csv" ? v : "" });
              }}
            >
              {audience === "csv" && <option value="csv">Coluna do CSV</option>}
              <option value="contact">Dado do contato</option>
              <option value="text">Texto fixo</option>
            </SelectField>
            {s.kind === "contact" ? (
              <SelectField
                label={`Campo para {{${v}}}`}
                value={s.value}
                onChange={(e) => set({ value: e.target.value })}
              >
                {CONTACT_FIELDS.map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </SelectField>
            ) : (
              <TextField
                label={s.kind === "csv" ? `Coluna para {{${v}}}` : `Texto para {{${v}}}`}
                value={s.value}
                onChange={(e) => set({ value: e.target.value })}
              />
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
