import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { Campaign } from "../../lib/types";
import { ErrorBox, Loading } from "../../ui/feedback";
import { SelectField, TextField } from "../../ui/field";
import { type Audience, AudienceFields } from "./campaign-audience-fields";
import { type Source, VariableFields } from "./campaign-variable-fields";
import { INSTANCES_KEY } from "./instance-shared";

/** New campaign: name, number, template, where each variable comes from, audience and pace. Saved as a draft. */
export function CampaignForm({ onCreated, onCancel }: { onCreated: (c: Campaign) => void; onCancel: () => void }) {
  const api = useApi();
  const instances = useQuery({ queryKey: INSTANCES_KEY, queryFn: () => api.instances.list.query() });
  const [name, setName] = useState("");
  const [instanceId, setInstanceId] = useState("");
  // Only what the chosen number can send: active, meant for it, approved at Meta for a Meta number.
  const templates = useQuery({
    queryKey: ["templates.list", "sendableOn", instanceId],
    queryFn: () => api.templates.list.query({ sendableOn: instanceId }),
    enabled: instanceId !== "",
  });
  const [templateId, setTemplateId] = useState("");
  const [sources, setSources] = useState<Record<string, Source>>({});
  const [audience, setAudience] = useState<Audience>("csv");
  const [tags, setTags] = useState("");
  const [match, setMatch] = useState<"any" | "all">("any");
  const [pace, setPace] = useState("60");
  const [windowStart, setWindowStart] = useState("");
  const [windowEnd, setWindowEnd] = useState("");
  const template = templates.data?.find((t) => t.id === templateId);
  const selectedProvider = instances.data?.find((i) => i.id === instanceId)?.provider;
  const variables = template?.variables ?? [];
  const sourceOf = (v: string): Source =>
    sources[v] ?? { kind: audience === "csv" ? "csv" : "contact", value: audience === "csv" ? v : "name" };
  const setSource = (v: string, s: Source) => setSources((all) => ({ ...all, [v]: s }));

  const create = useMutation({
    mutationFn: () =>
      api.campaigns.create.mutate({
        name: name.trim(),
        instanceId: instanceId.trim(),
        templateId,
        variableMapping: Object.fromEntries(
          variables.map((v) => {
            const s = sourceOf(v);
            return [v, `${s.kind}:${s.value.trim()}`];
          }),
        ),
        audience:
          audience === "csv"
            ? { kind: "csv" }
            : {
                kind: "contacts",
                tags: tags
                  .split(",")
                  .map((t) => t.trim())
                  .filter(Boolean),
                match,
              },
        pacePerMinute: Number(pace),
        window: windowStart && windowEnd ? { start: windowStart, end: windowEnd } : null,
      }),
    onSuccess: onCreated,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const valid = name.trim() && instanceId && templateId && (audience === "csv" || tags.trim()) && Number(pace) >= 0;

  return (
    <form className="card" onSubmit={submit} aria-labelledby="campaign-form-title">
      <h2 id="campaign-form-title">Nova campanha</h2>
      {create.error && <ErrorBox message={errorMessage(create.error)} />}
      <div className="grid-2">
        <TextField
          label="Nome da campanha"
          required
          autoFocus
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <SelectField
          label="Número"
          required
          value={instanceId}
          onChange={(e) => {
            setInstanceId(e.target.value);
            setTemplateId("");
            setSources({});
          }}
          hint={
            instances.error
              ? errorMessage(instances.error)
              : instances.data?.length === 0
                ? "Nenhum número: cadastre um em Administração › Números."
                : undefined
          }
        >
          <option value="">{instances.isPending ? "Carregando números…" : "Escolha…"}</option>
          {instances.data
            ?.filter((i) => i.active)
            .map((i) => (
              <option key={i.id} value={i.id}>
                {i.name} ({i.provider === "META" ? "Meta" : "Evolution"})
              </option>
            ))}
        </SelectField>
      </div>
      {!instanceId && (
        <SelectField label="Modelo" required disabled value="" hint="Escolha o número primeiro.">
          <option value="">Escolha o número primeiro</option>
        </SelectField>
      )}
      {instanceId && templates.isPending && <Loading label="Carregando modelos…" />}
      {templates.error && <ErrorBox message={errorMessage(templates.error)} onRetry={() => void templates.refetch()} />}
      {instanceId && templates.data && (
        <SelectField
          label="Modelo"
          required
          value={templateId}
          onChange={(e) => setTemplateId(e.target.value)}
          hint={templates.data.length === 0 ? noTemplateHint(selectedProvider) : undefined}
        >
          <option value="">Escolha…</option>
          {templates.data.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
              {t.meta ? " (Meta)" : ""}
            </option>
          ))}
        </SelectField>
      )}
      {template && <p className="template-body muted">{template.body}</p>}
      <AudienceFields
        audience={audience}
        onAudience={setAudience}
        tags={tags}
        onTags={setTags}
        match={match}
        onMatch={setMatch}
      />
      {variables.length > 0 && (
        <VariableFields variables={variables} audience={audience} sourceOf={sourceOf} onSource={setSource} />
      )}
      <div className="grid-2">
        <TextField
          label="Mensagens por minuto"
          type="number"
          min={0}
          value={pace}
          onChange={(e) => setPace(e.target.value)}
          hint="0 = o máximo que o número permite."
        />
        <div className="grid-2">
          <TextField
            label="Enviar a partir de"
            type="time"
            value={windowStart}
            onChange={(e) => setWindowStart(e.target.value)}
          />
          <TextField
            label="Até"
            type="time"
            value={windowEnd}
            onChange={(e) => setWindowEnd(e.target.value)}
            hint="Opcional: horário de envio."
          />
        </div>
      </div>
      <footer className="dialog-footer">
        <button type="button" className="btn" onClick={onCancel}>
          Cancelar
        </button>
        <button type="submit" className="btn btn-primary" disabled={!valid || create.isPending}>
          {create.isPending ? "Salvando…" : "Salvar rascunho"}
        </button>
      </footer>
    </form>
  );
}

function noTemplateHint(provider: "META" | "EVOLUTION" | undefined): string {
  return provider === "META"
    ? "Nenhum modelo para este número: números Meta só enviam modelos aprovados (informe o nome do modelo na Meta em Administração › Modelos)."
    : "Nenhum modelo para este número: crie um em Administração › Modelos.";
}
