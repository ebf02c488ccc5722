export type Flow = { body?: string; fields: Record<string, string> };

/** A WhatsApp Flow's answers: each field the customer filled, by its key. */
export function FlowAnswers({ flow }: { flow: Flow }) {
  return (
    <div className="msg-kind msg-flow">
      <strong>📝 Respostas do formulário</strong>
      <dl>
        {Object.entries(flow.fields).map(([k, v]) => (
          <div key={k}>
            <dt>{k.replaceAll("_", " ")}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
