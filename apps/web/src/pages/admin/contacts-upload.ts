/**
 * Streams a contacts CSV to `POST /uploads/contacts-csv` with XMLHttpRequest
 * (the only browser API that reports upload progress). Answers the PENDING
 * import id, to be started with `contacts.import`.
 */
export function uploadContactsCsv(
  opts: { file: File },
  onProgress: (fraction: number) => void,
): Promise<{ importId: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/uploads/contacts-csv?${new URLSearchParams({ name: opts.file.name })}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { importId?: string; error?: string } | null = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // a generic message below
      }
      if (xhr.status >= 200 && xhr.status < 300 && body?.importId) {
        onProgress(1);
        resolve({ importId: body.importId });
        return;
      }
      reject(
        new Error(
          xhr.status === 413
            ? "O arquivo é grande demais. Divida a lista em partes."
            : xhr.status === 401
              ? "Sua sessão terminou. Entre novamente."
              : body?.error?.includes("empty")
                ? "O arquivo está vazio."
                : "Não foi possível enviar o arquivo. Tente de novo.",
        ),
      );
    };
    xhr.onerror = () => reject(new Error("Sem conexão com o servidor. Verifique sua rede e tente de novo."));
    xhr.send(opts.file);
  });
}
