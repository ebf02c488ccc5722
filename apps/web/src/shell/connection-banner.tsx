import { useEffect, useState } from "react";
import { useSession } from "../auth/session";

/** The API's close code when a user already holds WS_MAX_SOCKETS_PER_USER sockets (apps/api/src/server.ts). */
const TOO_MANY_SOCKETS = 4029;

/**
 * Says so when the live connection drops, and clears itself when tRPC has
 * reconnected (subscriptions resume from their last event id): no reload needed.
 */
export function ConnectionBanner() {
  const { connection, socketClosedCode } = useSession();
  const [lost, setLost] = useState(false);
  useEffect(() => {
    let wasOpen = false;
    const sub = connection.subscribe({
      next: (s) => {
        if (s.state === "pending") {
          wasOpen = true;
          setLost(false);
        } else if (s.state === "connecting" && (wasOpen || s.error)) {
          setLost(true);
        } else if (s.state === "idle") {
          setLost(false);
        }
      },
    });
    return () => sub.unsubscribe();
  }, [connection]);
  if (!lost) return null;
  return (
    <div className="connection-banner" role="status">
      {socketClosedCode === TOO_MANY_SOCKETS
        ? "Você abriu o Elsehu em abas ou aparelhos demais. Feche alguns para voltar a receber atualizações em tempo real."
        : "Sem conexão em tempo real. Reconectando… As informações voltam a se atualizar sozinhas."}
    </div>
  );
}
