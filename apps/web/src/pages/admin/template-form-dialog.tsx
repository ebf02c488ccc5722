import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { In, Template } from "../../lib/types";
import { useDebounced } from "../../lib/use-debounced";
import { Dialog } from "../../ui/dialog";
import { ErrorBox } from "../../ui/feedback";
import { CheckboxField, SelectField, TextField } from "../../ui/field";
import { useToast } from "../../ui/toast";
import { INSTANCES_KEY } from "./instance-shared";

/** Same variable syntax as the server: {{1}} or {{nome}}. */
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*\}\}/g;
function variablesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(VARIABLE)) if (m[1] && !out.includes(m[1])) out.push(m[1]);
  return out;
}

type Draft = In["templates"]["create"];
/** Meta components as typed in the JSON box; the server validates their shape. */
type Components = NonNullable<NonNullable<Draft["meta"]>["components"]>;

/** Creates or edits a template, with a live preview rendered by the server (templates.preview). */
export function TemplateFormDialog({
  template,
  onClose,
  onDone,
}: {
  template: Template | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const toast = useToast();
  const bodyId = useId();
  const compId = useId();
  const [name, setName] = useState(template?.name ?? "");
  const [body, setBody] = useState(template?.body ?? "");
  const [isMeta, setIsMeta] = useState(Boolean(template?.meta));
  const [metaName, setMetaName] = useState(template?.meta?.name ?? "");
  const [language, setLanguage] = useState(template?.meta?.language ?? "pt_BR");
  const [componentsText, setComponentsText] = useState(
    template?.meta?.components.length ? JSON.stringify(template.meta.components, null, 2) : "",
  );
  const [samples, setSamples] = useState<Record<string, string>>({});
  const [active, setActive] = useState(template?.active ?? true);
  const [instanceId, setInstanceId] = useState(template?.instanceId ?? "");
  const instances = useQuery({ queryKey: INSTANCES_KEY, queryFn: () => api.instances.list.query() });

  let components: Components = [];
  let componentsError: string | null = null;
  if (isMeta && componentsText.trim()) {
    try {
      const parsed: unknown = JSON.parse(componentsText);
      if (Array.isArray(parsed)) components = parsed as Components;
      else componentsError = "Os componentes devem ser uma lista JSON: [ … ].";
    } catch {
      componentsError = "JSON inválido nos componentes. Confira vírgulas e aspas.";
    }
  }
  const draft: Draft = {
    name: name.trim() || "rascunho",
    body,
    meta: isMeta ? { name: metaName.trim(), language: language.trim(), components } : null,
    active,
    instanceId: instanceId || null,
  };
  const variables = variablesIn(`${body} ${isMeta ? componentsText : ""}`);
  const sampleFor = (v: string) => samples[v]?.trim() || `[${v}]`;
  const previewInput = useDebounced(
    JSON.stringify({ draft, samples: Object.fromEntries(variables.map((v) => [v, sampleFor(v)])) }),
    300,
  );
  const canPreview =
    body.trim() !== "" && !componentsError && (!isMeta || (metaName.trim() !== "" && language.trim() !== ""));
  const preview = useQuery({
    queryKey: ["templates.preview", previewInput],
    queryFn: () => api.templates.preview.query(JSON.parse(previewInput)),
    enabled: canPreview,
    retry: false,
    placeholderData: (prev) => prev,
  });

  const save = useMutation({
    mutationFn: () => {
      const input = { ...draft, name: name.trim() };
      return template ? api.templates.update.mutate({ id: template.id, ...input }) : api.templates.create.mutate(input);
    },
    onSuccess: (t) => {
      toast(template ? `Modelo ${t.name} atualizado.` : `Modelo ${t.name} criado.`);
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <Dialog title={template ? `Editar modelo ${template.name}` : "Novo modelo"} onClose={onClose} wide>
      <form className="dialog-body template-form" onSubmit={submit}>
        <div className="stack">
          {save.error && <ErrorBox message={errorMessage(save.error)} />}
          <TextField
            label="Nome do modelo"
            required
            autoFocus
            maxLength={120}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <div className="field">
            <label htmlFor={bodyId}>Texto</label>
            <textarea
              id={bodyId}
              rows={5}
              required
              maxLength={4096}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              aria-describedby={`${bodyId}-hint`}
            />
            <small id={`${bodyId}-hint`} className="hint">
              Use variáveis como {"{{nome}}"} ou {"{{1}}"}; elas são preenchidas no envio.
            </small>
          </div>
          <SelectField
            label="Número"
            value={instanceId}
            onChange={(e) => setInstanceId(e.target.value)}
            hint="Um modelo aprovado na Meta vale só para a conta dela: restrinja-o ao número dessa conta."
          >
            <option value="">Todos os números</option>
            {instances.data?.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name} ({i.provider === "META" ? "Meta" : "Evolution"})
              </option>
            ))}
          </SelectField>
          <CheckboxField
            label="Ativo (oferecido aos operadores e às campanhas)"
            checked={active}
            onChange={(e) => setActive(e.target.checked)}
          />
          <CheckboxField
            label="Modelo aprovado na Meta (para números oficiais)"
            checked={isMeta}
            onChange={(e) => setIsMeta(e.target.checked)}
          />
          {isMeta && (
            <>
              <TextField
                label="Nome do modelo na Meta"
                required
                value={metaName}
                onChange={(e) => setMetaName(e.target.value)}
                hint="Exatamente como aprovado: minúsculas, números e _."
              />
              <TextField
                label="Idioma"
                required
                value={language}
                onChange={(e) => setLanguage(e.target.value)}
                hint="Ex.: pt_BR"
              />
              <div className="field">
                <label htmlFor={compId}>Componentes (JSON, opcional)</label>
                <textarea
                  id={compId}
                  rows={4}
                  className="mono"
                  value={componentsText}
                  onChange={(e) => setComponentsText(e.target.value)}
                />
                {componentsError && <small className="field-error">{componentsError}</small>}
              </div>
            </>
          )}
        </div>
        <aside className="preview" aria-labelledby={`${bodyId}-preview`}>
          <h3 id={`${bodyId}-preview`}>Pré-visualização</h3>
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
        <footer className="dialog-footer template-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancelar
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!name.trim() || !body.trim() || Boolean(componentsError) || save.isPending}
          >
            {save.isPending ? "Salvando…" : template ? "Salvar" : "Criar modelo"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
