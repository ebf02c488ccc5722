import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useApi } from "../../auth/session";
import { isApiError } from "../../lib/api";
import { errorMessage } from "../../lib/errors";
import { formatDateTime, formatInt } from "../../lib/format";
import { useTrackedSubscription } from "../../lib/use-tracked-subscription";
import { ErrorBox, Notice } from "../../ui/feedback";
import { uploadContactsCsv } from "./contacts-upload";

type Progress = {
  status: string;
  rowsRead: number;
  imported: number;
  updated: number;
  invalid: number;
  totalRows: number | null;
  error: string | null;
};

const IMPORT_STATUS: Record<string, string> = {
  PENDING: "Aguardando início",
  RUNNING: "Importando",
  COMPLETED: "Concluída",
  FAILED: "Falhou",
};

const errorsHref = (importId: string) => `/imports/${importId}/errors.csv`;

/**
 * CSV import: choose a file, upload it (progress bar), start the import, then
 * follow its counters live until the end, with a link to the error report.
 */
export function ContactImport({ onFinished }: { onFinished: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState(0);
  const [importId, setImportId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const start = useMutation({
    mutationFn: async (f: File) => {
      setUploaded(0);
      setProgress(null);
      const { importId: id } = await uploadContactsCsv({ file: f }, setUploaded);
      setImportId(id);
      await api.contacts.import.mutate({ importId: id });
      // The worker may have finished before we subscribed: read the counters once.
      const now = await api.contacts.importStatus.query({ id });
      setProgress((p) => p ?? now);
      return id;
    },
  });
  useTrackedSubscription<Progress>(
    (last, h) => api.contacts.onImportProgress.subscribe({ importId: importId ?? "", lastEventId: last ?? null }, h),
    {
      key: importId ?? "",
      enabled: importId !== null,
      onData: (p) => {
        setProgress(p);
        if (p.status === "COMPLETED" || p.status === "FAILED") {
          void qc.invalidateQueries({ queryKey: ["contacts.imports"] });
          onFinished();
        }
      },
    },
  );
  const done = progress?.status === "COMPLETED" || progress?.status === "FAILED";
  const total = progress?.totalRows ?? null;

  return (
    <section className="card stack" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>Importar contatos (CSV)</h2>
      <p className="muted small">
        Colunas reconhecidas: telefone (obrigatória), nome, e-mail e etiquetas. Telefones já cadastrados são
        atualizados; linhas inválidas vão para o relatório de erros.
      </p>
      <div className="filters">
        <div className="field">
          <label htmlFor={inputId}>Arquivo CSV</label>
          <input
            id={inputId}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setImportId(null);
              setProgress(null);
              start.reset();
            }}
          />
        </div>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!file || start.isPending || (importId !== null && !done)}
          onClick={() => file && start.mutate(file)}
        >
          {start.isPending ? "Enviando…" : "Importar"}
        </button>
      </div>
      {start.error && <ErrorBox message={isApiError(start.error) ? errorMessage(start.error) : start.error.message} />}
      {(start.isPending || importId) && (
        <div className="progress-line">
          <label htmlFor={`${inputId}-up`}>Envio do arquivo</label>
          <progress id={`${inputId}-up`} max={1} value={uploaded} />
          <span>{Math.round(uploaded * 100)}%</span>
        </div>
      )}
      {importId && (
        <div className="progress-line">
          <label htmlFor={`${inputId}-rows`}>Importação</label>
          <progress
            id={`${inputId}-rows`}
            data-testid="import-progress"
            max={total ?? 1}
            value={done ? (total ?? 1) : total ? (progress?.rowsRead ?? 0) : undefined}
          />
          <span>
            {progress ? `${formatInt(progress.rowsRead)} de ${total === null ? "?" : formatInt(total)} linhas` : "…"}
          </span>
        </div>
      )}
      {progress && (
        <p role="status" data-testid="import-counts">
          {IMPORT_STATUS[progress.status] ?? progress.status}: {formatInt(progress.rowsRead)} lidas ·{" "}
          {formatInt(progress.imported)} novas · {formatInt(progress.updated)} atualizadas ·{" "}
          {formatInt(progress.invalid)} inválidas
        </p>
      )}
      {done && importId && progress?.status === "COMPLETED" && (
        <Notice tone="success">
          Importação concluída.{" "}
          {progress.invalid > 0 && <a href={errorsHref(importId)}>Baixar relatório de erros (CSV)</a>}
        </Notice>
      )}
      {done && progress?.status === "FAILED" && (
        <ErrorBox message={`A importação falhou: ${progress.error ?? "motivo desconhecido"}.`} />
      )}
      <PastImports />
    </section>
  );
}

function PastImports() {
  const api = useApi();
  const list = useQuery({ queryKey: ["contacts.imports"], queryFn: () => api.contacts.imports.query({ limit: 10 }) });
  const rows = list.data?.items ?? [];
  if (list.error) return <ErrorBox message={errorMessage(list.error)} onRetry={() => void list.refetch()} />;
  if (rows.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption>Importações anteriores</caption>
        <thead>
          <tr>
            <th scope="col">Arquivo</th>
            <th scope="col">Quando</th>
            <th scope="col">Situação</th>
            <th scope="col">Novas</th>
            <th scope="col">Atualizadas</th>
            <th scope="col">Inválidas</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((i) => (
            <tr key={i.id}>
              <td>{i.fileName}</td>
              <td>{formatDateTime(i.createdAt)}</td>
              <td>{IMPORT_STATUS[i.status] ?? i.status}</td>
              <td>{formatInt(i.imported)}</td>
              <td>{formatInt(i.updated)}</td>
              <td>
                {i.invalid > 0 ? (
                  <a href={errorsHref(i.id)} aria-label={`${i.invalid} inválidas: baixar relatório de ${i.fileName}`}>
                    {formatInt(i.invalid)}
                  </a>
                ) : (
                  "0"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
