type Interactive = {
  kind: "buttons" | "list";
  body: string;
  button?: string;
  options: Array<{ id: string; title: string }>;
};

/**
 * What the customer was offered by a menu the bot sent: reply buttons, or a list behind its
 * button. Shown as the customer sees them, not clickable here.
 */
export function MenuOptions({ interactive }: { interactive: Interactive }) {
  return (
    <div className="msg-kind msg-menu">
      {interactive.kind === "list" && <span className="muted small">☰ {interactive.button ?? "Opções"}</span>}
      <ul aria-label={interactive.kind === "list" ? "Opções da lista" : "Botões de resposta"}>
        {interactive.options.map((o) => (
          <li key={o.id} className="msg-menu-option">
            {o.title}
          </li>
        ))}
      </ul>
    </div>
  );
}
