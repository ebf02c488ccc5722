import { SelectField, TextField } from "../../ui/field";

export type Audience = "csv" | "contacts";
export type Match = "any" | "all";

/** Campaign form › "Público": a CSV list sent after saving, or the contacts with some or all of the tags. */
export function AudienceFields(p: {
  audience: Audience;
  onAudience: (a: Audience) => void;
  tags: string;
  onTags: (t: string) => void;
  match: Match;
  onMatch: (m: Match) => void;
}) {
  const { audience, tags, match, onAudience, onTags, onMatch } = p;
  return (
    <fieldset className="fieldset">
      <legend>Público</legend>
      <div className="radio-row">
        <label>
          <input
            type="radio"
            name="audience"
            value="csv"
            checked={audience === "csv"}
            onChange={() => onAudience("csv")}
          />{" "}
          Lista CSV (enviada depois de salvar)
        </label>
        <label>
          <input
            type="radio"
            name="audience"
            value="contacts"
            checked={audience === "contacts"}
            onChange={() => onAudience("contacts")}
          />{" "}
          Contatos com etiquetas
        </label>
      </div>
      {audience === "contacts" && (
        <div className="grid-2">
          <TextField
            label="Etiquetas"
            required
            placeholder="clientes, vip"
            hint="Separe por vírgulas."
            value={tags}
            onChange={(e) => onTags(e.target.value)}
          />
          <SelectField label="Combinar" value={match} onChange={(e) => onMatch(e.target.value as Match)}>
            <option value="any">Qualquer etiqueta</option>
            <option value="all">Todas as etiquetas</option>
          </SelectField>
        </div>
      )}
    </fieldset>
  );
}
