import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { In } from "../../lib/types";
import { SelectField, TextField } from "../../ui/field";
import { FormDialog } from "../../ui/form-dialog";
import { useToast } from "../../ui/toast";
import type { Instance } from "./instance-shared";
import { WhatsAppPreview } from "./wa-preview";

type Routing = In["instances"]["setRouting"]["routing"];
type Option = { title: string; departmentId: string };
const MAX_OPTIONS = 10;

/** Administração › Números › Roteamento: how the number's new conversations are routed, with a live preview of the menu. */
export function InstanceRoutingDialog({
  instance,
  onClose,
  onDone,
}: {
  instance: Instance;
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const toast = useToast();
  const greetingId = useId();
  const departments = useQuery({ queryKey: ["departments.options"], queryFn: () => api.departments.options.query() });
  const current = instance.routing;
  const [mode, setMode] = useState<Routing["mode"]>(current?.mode ?? "GLOBAL");
  const [departmentId, setDepartmentId] = useState(current?.mode === "DEPARTMENT" ? current.departmentId : "");
  const [greeting, setGreeting] = useState(
    current?.mode === "MENU" ? current.greeting : "Olá! Para agilizar, escolha com qual setor você quer falar:",
  );
  const [options, setOptions] = useState<Option[]>(
    current?.mode === "MENU"
      ? current.options
      : [
          { title: "", departmentId: "" },
          { title: "", departmentId: "" },
        ],
  );
  const [fallback, setFallback] = useState(current?.mode === "MENU" ? current.fallbackDepartmentId : "");
  const [timeout, setTimeoutMinutes] = useState(String(current?.mode === "MENU" ? current.timeoutMinutes : 10));
  const list = departments.data ?? [];

  const routing = (): Routing => {
    if (mode === "DEPARTMENT") return { mode, departmentId };
    if (mode === "MENU") {
      return {
        mode,
        greeting: greeting.trim(),
        options: options.map((o) => ({ title: o.title.trim(), departmentId: o.departmentId })),
        fallbackDepartmentId: fallback,
        timeoutMinutes: Number(timeout),
      };
    }
    return { mode: "GLOBAL" };
  };
  const save = useMutation({
    mutationFn: () => api.instances.setRouting.mutate({ instanceId: instance.id, routing: routing() }),
    onSuccess: () => {
      toast(`Roteamento de ${instance.name} salvo.`);
      onDone();
    },
  });
  const setOption = (i: number, patch: Partial<Option>) =>
    setOptions((all) => all.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  const menuReady =
    greeting.trim() !== "" &&
    options.length >= 2 &&
    options.every((o) => o.title.trim() && o.departmentId) &&
    fallback !== "" &&
    Number(timeout) >= 1;
  const ready = mode === "GLOBAL" || (mode === "DEPARTMENT" && departmentId !== "") || (mode === "MENU" && menuReady);
  const departmentOptions = (
    <>
      <option value="">Escolha…</option>
      {list.map((d) => (
        <option key={d.id} value={d.id}>
          {d.name}
        </option>
      ))}
    </>
  );

  return (
    <FormDialog
      title={`Roteamento de ${instance.name}`}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error && errorMessage(save.error)}
      pending={save.isPending}
      canSubmit={ready}
      submitLabel="Salvar roteamento"
      className="dialog-body stack"
    >
      <p className="muted small">Como as conversas novas deste número chegam aos atendentes.</p>
      <SelectField label="Primeiro contato" value={mode} onChange={(e) => setMode(e.target.value as Routing["mode"])}>
        <option value="GLOBAL">Fila geral</option>
        <option value="DEPARTMENT">Direto para um departamento</option>
        <option value="MENU">Menu de opções</option>
      </SelectField>
      {mode === "DEPARTMENT" && (
        <SelectField label="Departamento" value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
          {departmentOptions}
        </SelectField>
      )}
      {mode === "MENU" && (
        <>
          <div className="field">
            <label htmlFor={greetingId}>Saudação</label>
            <textarea
              id={greetingId}
              rows={3}
              maxLength={1024}
              value={greeting}
              onChange={(e) => setGreeting(e.target.value)}
            />
          </div>
          <fieldset className="stack">
            <legend>Opções (de 2 a 10)</legend>
            {options.map((o, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: options are edited in place by position.
              <div className="menu-option" key={i}>
                <TextField
                  label={`Opção ${i + 1}`}
                  maxLength={24}
                  value={o.title}
                  onChange={(e) => setOption(i, { title: e.target.value })}
                />
                <SelectField
                  label={`Departamento da opção ${i + 1}`}
                  value={o.departmentId}
                  onChange={(e) => setOption(i, { departmentId: e.target.value })}
                >
                  {departmentOptions}
                </SelectField>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={options.length <= 2}
                  onClick={() => setOptions((all) => all.filter((_, j) => j !== i))}
                  aria-label={`Remover opção ${i + 1}`}
                >
                  Remover
                </button>
              </div>
            ))}
            <button
              type="button"
              className="btn btn-small"
              disabled={options.length >= MAX_OPTIONS}
              onClick={() => setOptions((all) => [...all, { title: "", departmentId: "" }])}
            >
              Adicionar opção
            </button>
          </fieldset>
          <SelectField
            label="Se não escolher (departamento padrão)"
            value={fallback}
            onChange={(e) => setFallback(e.target.value)}
            hint="Resposta não reconhecida duas vezes, ou nenhuma resposta no prazo."
          >
            {departmentOptions}
          </SelectField>
          <TextField
            label="Prazo para responder (minutos)"
            type="number"
            min={1}
            max={1440}
            value={timeout}
            onChange={(e) => setTimeoutMinutes(e.target.value)}
          />
          <WhatsAppPreview provider={instance.provider} text={greeting} options={options.map((o) => o.title)} />
        </>
      )}
      {list.length === 0 && mode !== "GLOBAL" && (
        <p className="field-error small">Crie departamentos em Administração › Departamentos primeiro.</p>
      )}
    </FormDialog>
  );
}
