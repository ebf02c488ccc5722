import { useEffect } from "react";
import { LoginPage } from "./auth/login-page";
import { SessionProvider, useSession } from "./auth/session";
import { AppShell } from "./shell/app-shell";
import { Loading } from "./ui/feedback";
import { ToastProvider } from "./ui/toast";

function Gate() {
  const { state, restore } = useSession();
  useEffect(() => {
    if (state.status === "loading") void restore();
  }, [state.status, restore]);
  if (state.status === "loading") return <Loading label="Abrindo o Atendimento…" />;
  if (state.status === "signed-out") return <LoginPage notice={state.notice} />;
  // Keyed by user: a different login never sees the previous user's component state.
  return <AppShell key={state.user.id} />;
}

export function App() {
  return (
    <SessionProvider>
      <ToastProvider>
        <Gate />
      </ToastProvider>
    </SessionProvider>
  );
}
