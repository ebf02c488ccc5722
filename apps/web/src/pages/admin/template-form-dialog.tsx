import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { Template } from "../../lib/types";
import { Dialog } from "../../ui/dialog";
import { ErrorBox } from "../../ui/feedback";
import { CheckboxField, SelectField, TextField } from "../../ui/field";
import { useToast } from "../../ui/toast";
import { INSTANCES_KEY } from "./instance-shared";
import { type Components, type Draft, variablesIn } from "./template-draft";
import { MetaFields } from "./template-meta-fields";
import { TemplatePreview } from "./template-preview";

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
  const [name, setName] = useState(template?.name ?? "");
  const [body, setBody] = useState(template?.body ?? "");
  const [isMeta, setIsMeta] = useState(Boolean(template?.meta));
  const [metaName, setMetaName] = useState(template?.meta?.name ?? "");
  const [language, setLanguage] = useState(template?.meta?.language ?? "pt_BR");
  const [componentsText, setComponentsText] = useState(
    template?.meta?.components.length ? JSON.stringify(template.meta.components, null, 2) : "",
  );
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
  const canPreview =
    body.trim() !== "" && !componentsError && (!isMeta || (metaName.trim() !== "" && language.trim() !== ""));

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
            <MetaFields
              metaName={metaName}
              onMetaName={setMetaName}
              language={language}
              onLanguage={setLanguage}
              componentsText={componentsText}
              onComponentsText={setComponentsText}
              componentsError={componentsError}
            />
          )}
        </div>
        <TemplatePreview draft={draft} variables={variables} canPreview={canPreview} titleId={`${bodyId}-preview`} />
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
