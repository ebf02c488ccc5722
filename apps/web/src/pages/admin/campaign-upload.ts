import type { Reason } from "@elsehu/core";
import { reasonText } from "../../lib/errors";

/** Result of POST /uploads/campaign-csv. */
export type CsvResult = {
  importId: string;
  rowsRead: number;
  imported: number;
  invalid: number;
  errors: { line: number; value: string | null; reason: string }[];
};

/**
 * Streams a CSV to the campaign upload route with XMLHttpRequest, the only
 * browser API that reports upload progress. Auth: the session cookie.
 */
export function uploadCampaignCsv(
  opts: { campaignId: string; file: File; phoneColumn?: string },
  onProgress: (fraction: number) => void,
): Promise<CsvResult> {
  const params = new URLSearchParams({ campaignId: opts.campaignId, fileName: opts.file.name });
  if (opts.phoneColumn) params.set("phoneColumn", opts.phoneColumn);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/uploads/campaign-csv?${params}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // fall through with a generic message
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as CsvResult);
      else {
        const refused = body as { reason?: Reason; details?: Record<string, unknown> } | null;
        const text =
          xhr.status === 413
            ? "O arquivo é grande demais (máximo 20 MB). Divida a lista em partes."
            : xhr.status === 401
              ? "Sua sessão terminou. Entre novamente."
              : refused?.reason
                ? reasonText(refused.reason, refused.details)
                : "Não foi possível enviar o arquivo. Tente de novo.";
        reject(new Error(text));
      }
    };
    xhr.onerror = () => reject(new Error("Sem conexão com o servidor. Verifique sua rede e tente de novo."));
    xhr.send(opts.file);
  });
}
