import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { useDebounced } from "../../lib/use-debounced";
import { ErrorBox } from "../../ui/feedback";
import { TextField } from "../../ui/field";
import type { Draft } from "./template-draft";

/** Template dialog › preview: sample values for the variables and the text as the server renders it. */
export function TemplatePreview({
  draft,
  variables,
  canPreview,
  titleId,
}: {
  draft: Draft;
  variables: string[];
  canPreview: boolean;
  titleId: string;
}) {
  const api = useApi();
  const [samples, setSamples] = useState<Record<string, string>>({});
  const sampleFor = (v: string) => samples[v]?.trim() || `[${v}]`;
  const previewInput = useDebounced(
    JSON.stringify({ draft, samples: Object.fromEntries(variables.map((v) => [v, sampleFor(v)])) }),
    300,
  );
  const preview = useQuery({
    queryKey: ["templates.preview", previewInput],
    queryFn: () => api.templates.preview.query(JSON.parse(previewInput)),
    enabled: canPreview,
    retry: false,
    placeholderData: (prev) => prev,
  });

  return (
    <aside className="preview" aria-labelledby={titleId}>
      <h3 id={titleId}>Pré-visualização</h3>
      {variables.length > 0 && (
        <fieldset className="samples">
          <legend>Valores de exemplo</legend>
          {variables.map((v) => (
            <TextField
              key={v}
              label={`{{${v}}}`}
              placeholder={`[${v}]`}
              value={samples[v] ?? ""}
              onChange={(e) => setSamples((s) => ({ ...s, [v]: e.target.value }))}
            />
          ))}
        </fieldset>
      )}
      {!canPreview && <p className="muted small">Escreva o texto para ver como a mensagem chega ao cliente.</p>}
      {canPreview && preview.error && <ErrorBox message={errorMessage(preview.error)} />}
      {canPreview && preview.data && !preview.error && (
        <div className="msg msg-out preview-bubble" aria-live="polite">
          <div className="msg-bubble">
            <span className="msg-text" data-testid="template-preview">
              {preview.data.text}
            </span>
          </div>
        </div>
      )}
    </aside>
  );
}
