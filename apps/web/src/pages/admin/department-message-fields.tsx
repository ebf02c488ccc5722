import { useId } from "react";
import { sampleText, WhatsAppPreview } from "./wa-preview";

const CSAT_TITLES = ["1 - Muito ruim", "2 - Ruim", "3 - Regular", "4 - Bom", "5 - Excelente"];
export const DEFAULT_CSAT_QUESTION = "Como você avalia o nosso atendimento?";

/** A customer-facing text with its variables and a preview filled with examples. */
export function AutoTextField({
  label,
  value,
  onChange,
  hint,
  options,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: string;
  options?: string[];
}) {
  const id = useId();
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <textarea
          id={id}
          rows={3}
          maxLength={1000}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={`${id}-hint`}
        />
        <small id={`${id}-hint`} className="hint">
          {hint ?? "Vazio: não envia."} Variáveis: {"{{nome}}"} (cliente), {"{{operador}}"}, {"{{protocolo}}"}.
        </small>
      </div>
      {(value.trim() || options) && (
        <WhatsAppPreview provider="META" text={sampleText(value)} options={options} label={`Prévia: ${label}`} />
      )}
    </div>
  );
}

export { CSAT_TITLES };
