import { type FormEvent, useState } from "react";
import { errorMessage } from "../lib/errors";
import { ErrorBox, Notice } from "../ui/feedback";
import { TextField } from "../ui/field";
import { useSession } from "./session";

export function LoginPage({ notice }: { notice?: string }) {
  const { signIn } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError("Informe o e-mail e a senha.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      setError(errorMessage(err));
      setPassword("");
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">E</span> Elsehu
        </div>
        <h1 id="login-title">Entrar no Atendimento</h1>
        {notice && !error && <Notice>{notice}</Notice>}
        {error && <ErrorBox message={error} />}
        <TextField
          label="E-mail"
          type="email"
          name="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Senha"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? "Entrando…" : "Entrar"}
        </button>
        <p className="hint">Esqueceu a senha? Peça a um administrador para redefini-la.</p>
      </form>
    </main>
  );
}
