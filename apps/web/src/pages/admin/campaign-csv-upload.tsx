import { useState } from "react";
import { formatInt } from "../../lib/format";
import { ErrorBox, Notice } from "../../ui/feedback";
import { TextField } from "../../ui/field";
import { type CsvResult, uploadCampaignCsv } from "./campaign-upload";

/** Campaign detail › the recipients' CSV of a draft: upload with progress, then counts and refused lines. */
export function CsvUpload({ campaignId, onDone }: { campaignId: string; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [phoneColumn, setPhoneColumn] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<CsvResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (!file) return;
    setError(null);
    setResult(null);
    setProgress(0);
    try {
      const r = await uploadCampaignCsv(
        { campaignId, file, phoneColumn: phoneColumn.trim() || undefined },
        setProgress,
      );
      setResult(r);
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : "Não foi possível enviar o arquivo.");
    } finally {
      setProgress(null);
    }
  };
  return (
    <div className="card">
      <h2>Lista de destinatários (CSV)</h2>
      <p className="muted small">
        Uma linha por destinatário, com cabeçalho. A coluna do telefone pode se chamar telefone, celular, whatsapp ou
        phone.
      </p>
      <div className="filters">
        <div className="field">
          <label htmlFor="campaign-csv">Arquivo CSV</label>
          <input
            id="campaign-csv"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <TextField
          label="Coluna do telefone (opcional)"
          value={phoneColumn}
          onChange={(e) => setPhoneColumn(e.target.value)}
        />
        <button
          type="button"
          className="btn btn-primary"
          disabled={!file || progress !== null}
          onClick={() => void send()}
        >
          Enviar lista
        </button>
      </div>
      {progress !== null && (
        <div className="progress-line">
          <progress max={1} value={progress} aria-label="Envio do arquivo" />
          <span>{progress >= 1 ? "Processando linhas…" : `${Math.round(progress * 100)}%`}</span>
        </div>
      )}
      {error && <ErrorBox message={error} />}
      {result && (
        <Notice tone="success">
          {formatInt(result.imported)} destinatários adicionados de {formatInt(result.rowsRead)} linhas
          {result.invalid > 0 ? `; ${formatInt(result.invalid)} linhas recusadas.` : "."}
        </Notice>
      )}
      {result && result.errors.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Linhas recusadas</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Linha
                </th>
                <th scope="col">Valor</th>
                <th scope="col">Motivo</th>
              </tr>
            </thead>
            <tbody>
              {result.errors.slice(0, 50).map((e) => (
                <tr key={`${e.line}-${e.reason}`}>
                  <td className="num">{e.line}</td>
                  <td>{e.value ?? "—"}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
