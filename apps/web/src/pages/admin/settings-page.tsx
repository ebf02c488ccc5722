import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { ErrorBox, Loading } from "../../ui/feedback";
import { useToast } from "../../ui/toast";

const KEY = ["settings.get"];

/** Administração › Configurações: settings an admin changes at run time. */
export default function SettingsPage() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const settings = useQuery({ queryKey: KEY, queryFn: () => api.settings.get.query() });
  const save = useMutation({
    mutationFn: (patch: { customerHistory?: "on" | "off"; operatorsStartConversations?: "on" | "off" }) =>
      api.settings.update.mutate(patch),
    onSuccess: (s) => {
      qc.setQueryData(KEY, s);
      toast("Configurações salvas.");
    },
    onError: (e) => toast(errorMessage(e)),
  });
  return (
    <section aria-labelledby="page-title" className="stack">
      <header className="page-header">
        <h1 id="page-title">Configurações</h1>
      </header>
      {settings.isPending && <Loading label="Carregando configurações…" />}
      {settings.error && <ErrorBox message={errorMessage(settings.error)} />}
      {settings.data && (
        <div className="card stack">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={settings.data.customerHistory === "on"}
              disabled={save.isPending}
              onChange={(e) => save.mutate({ customerHistory: e.target.checked ? "on" : "off" })}
            />{" "}
            Histórico do cliente para o operador
          </label>
          <p className="muted">
            Ligado: o operador que atende um cliente pode ler as conversas anteriores desse cliente no mesmo número, sem
            editar e sem ver as observações de encerramento de outros operadores. Desligado: cada operador vê apenas as
            próprias conversas.
          </p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={settings.data.operatorsStartConversations === "on"}
              disabled={save.isPending}
              onChange={(e) => save.mutate({ operatorsStartConversations: e.target.checked ? "on" : "off" })}
            />{" "}
            Operadores podem iniciar conversas
          </label>
          <p className="muted">
            Ligado: o operador escreve primeiro a um cliente (Atendimentos › Nova conversa), com texto dentro da janela
            de 24 horas ou com um modelo aprovado fora dela. Desligado: só supervisores e administradores iniciam
            conversas.
          </p>
        </div>
      )}
    </section>
  );
}
