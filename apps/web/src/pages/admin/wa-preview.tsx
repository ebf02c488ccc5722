/** Reply buttons take titles up to 20 characters; Meta shows 3 at most (as core/routing/menu does). */
const BUTTON_TITLE_MAX = 20;

/**
 * A customer's-eye view of an automatic message on WhatsApp: Meta numbers show
 * reply buttons (3 options or fewer) or a "Ver opções" list; Evolution numbers the
 * options in the text. Mirrors what the server sends (core/routing/menu.ts).
 */
export function WhatsAppPreview({
  provider,
  text,
  options = [],
  hint = "Responda com o número da opção.",
  label = "Prévia para o cliente",
}: {
  provider: "META" | "EVOLUTION";
  text: string;
  options?: string[];
  hint?: string;
  label?: string;
}) {
  const titles = options.map((o) => o.trim()).filter(Boolean);
  const buttons = titles.length <= 3 && titles.every((t) => t.length <= BUTTON_TITLE_MAX);
  const numbered = provider === "EVOLUTION" && titles.length > 0;
  return (
    <figure className="wa-preview" aria-label={label}>
      <figcaption className="small muted">
        {label} ({provider === "META" ? "Meta" : "Evolution"})
      </figcaption>
      <div className="wa-bubble" data-testid="wa-preview-text">
        {text.trim() || <span className="muted">(sem texto)</span>}
        {numbered && (
          <>
            {"\n\n"}
            {titles.map((t, i) => `${i + 1}. ${t}`).join("\n")}
            {"\n\n"}
            {hint}
          </>
        )}
      </div>
      {provider === "META" && titles.length > 0 && buttons && (
        <ul className="wa-buttons" data-testid="wa-preview-buttons">
          {titles.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      )}
      {provider === "META" && titles.length > 0 && !buttons && (
        <div data-testid="wa-preview-list">
          <div className="wa-buttons">
            <span>☰ Ver opções</span>
          </div>
          <ol className="wa-list">
            {titles.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ol>
        </div>
      )}
    </figure>
  );
}

/** Fills {{nome}}, {{operador}} and {{protocolo}} with examples, as the server fills them. */
export function sampleText(template: string): string {
  const sample: Record<string, string> = { nome: "Maria", operador: "João", protocolo: "20261204-000123" };
  return template.replace(
    /\{\{\s*(nome|operador|protocolo)\s*\}\}/gi,
    (_m, v: string) => sample[v.toLowerCase()] ?? "",
  );
}
