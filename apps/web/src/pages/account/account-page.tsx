import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi, useMe } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime, ROLE_LABEL } from "../../lib/format";
import { ErrorBox, Loading } from "../../ui/feedback";
import { TextField } from "../../ui/field";
import { useToast } from "../../ui/toast";
import { AlertSettings } from "./alert-settings";

export default function AccountPage() {
  const me = useMe();
  return (
    <section aria-labelledby="page-title" className="stack">
      <header className="page-header">
        <h1 id="page-title">Minha conta</h1>
        <p className="muted">
          {me.name} · {me.email} · {ROLE_LABEL[me.role]}
        </p>
      </header>
      <div className="grid-2">
        <ChangePassword />
        <Sessions />
        <AlertSettings />
      </div>
    </section>
  );
}

function Sessions() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const sessions = useQuery({ queryKey: ["auth.sessions"], queryFn: () => api.auth.sessions.query() });
  const revoke = useMutation({
    mutationFn: (id: string) => api.auth.revokeSession.mutate({ id }),
    onSuccess: () => {
      toast("Sessão encerrada.");
      return qc.invalidateQueries({ queryKey: ["auth.sessions"] });
    },
  });
  return (
    <div className="card">
      <h2>Sessões ativas</h2>
      <p className="muted">Encerre as sessões de aparelhos que você não usa mais.</p>
      {sessions.isPending && <Loading />}
      {sessions.error && <ErrorBox message={errorMessage(sessions.error)} onRetry={() => void sessions.refetch()} />}
      {revoke.error && <ErrorBox message={errorMessage(revoke.error)} />}
      {sessions.data && (
        <ul className="session-list">
          {sessions.data.map((s) => (
            <li key={s.id} className="session-item">
              <div>
                <strong>{describeAgent(s.userAgent)}</strong>
                {s.current && <span className="badge badge-ok">Esta sessão</span>}
                <div className="muted small">
                  {s.ip ?? "IP desconhecido"} · desde {formatDateTime(s.createdAt)} · expira{" "}
                  {formatDateTime(s.expiresAt)}
                </div>
              </div>
              {!s.current && (
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={revoke.isPending}
                  onClick={() => revoke.mutate(s.id)}
                  aria-label={`Encerrar sessão ${describeAgent(s.userAgent)} iniciada em ${formatDateTime(s.createdAt)}`}
                >
                  Encerrar
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function describeAgent(ua: string | null | undefined): string {
  if (!ua) return "Navegador desconhecido";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : "Navegador";
  const os = /Windows/.test(ua)
    ? "Windows"
    : /Android/.test(ua)
      ? "Android"
      : /iPhone|iPad/.test(ua)
        ? "iOS"
        : /Mac OS/.test(ua)
          ? "macOS"
          : /Linux/.test(ua)
            ? "Linux"
            : "";
  return os ? `${browser} no ${os}` : browser;
}

function ChangePassword() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const mismatch = confirm.length > 0 && confirm !== next;
  const change = useMutation({
    mutationFn: () => api.auth.changePassword.mutate({ currentPassword: current, newPassword: next }),
    onSuccess: () => {
      setCurrent("");
      setNext("");
      setConfirm("");
      toast("Senha alterada. As outras sessões foram encerradas.");
      return qc.invalidateQueries({ queryKey: ["auth.sessions"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mismatch) change.mutate();
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="pw-title">
      <h2 id="pw-title">Alterar senha</h2>
      {change.error && <ErrorBox message={errorMessage(change.error)} />}
      <TextField
        label="Senha atual"
        type="password"
        autoComplete="current-password"
        required
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <TextField
        label="Nova senha"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint="Pelo menos 8 caracteres."
        value={next}
        onChange={(e) => setNext(e.target.value)}
      />
      <TextField
        label="Confirme a nova senha"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        error={mismatch ? "As senhas não conferem." : undefined}
        onChange={(e) => setConfirm(e.target.value)}
      />
      <button
        type="submit"
        className="btn btn-primary"
        disabled={change.isPending || !current || next.length < 8 || mismatch}
      >
        {change.isPending ? "Salvando…" : "Alterar senha"}
      </button>
    </form>
  );
}
