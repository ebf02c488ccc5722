import { useId } from "react";
import { TextField } from "../../ui/field";

/** Template dialog › the fields of a template approved at Meta: its name there, language, components. */
export function MetaFields(p: {
  metaName: string;
  onMetaName: (v: string) => void;
  language: string;
  onLanguage: (v: string) => void;
  componentsText: string;
  onComponentsText: (v: string) => void;
  componentsError: string | null;
}) {
  const compId = useId();
  return (
    <>
      <TextField
        label="Nome do modelo na Meta"
        required
        value={p.metaName}
        onChange={(e) => p.onMetaName(e.target.value)}
        hint="Exatamente como aprovado: minúsculas, números e _."
      />
      <TextField
        label="Idioma"
        required
        value={p.language}
        onChange={(e) => p.onLanguage(e.target.value)}
        hint="Ex.: pt_BR"
      />
      <div className="field">
        <label htmlFor={compId}>Componentes (JSON, opcional)</label>
        <textarea
          id={compId}
          rows={4}
          className="mono"
          value={p.componentsText}
          onChange={(e) => p.onComponentsText(e.target.value)}
        />
        {p.componentsError && <small className="field-error">{p.componentsError}</small>}
      </div>
    </>
  );
}
