import { useEffect, useState } from "react";
import { useSession } from "../auth/session";

/**
 * Says so when the live connection drops, and clears itself when tRPC has
 * reconnected (subscriptions resume from their last event id): no reload needed.
 */
export function ConnectionBanner() {
  const { connection } = useSession();
  const [lost, setLost] = useState(false);
  useEffect(() => {
    let wasOpen = false;
    const sub = connection.subscribe({
      next: (s) => {
        if (s.state === "pending") {
          wasOpen = true;
          setLost(false);
        } else if (s.state === "connecting" && wasOpen) {
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
      Sem conexão em tempo real. Reconectando… As informações voltam a se atualizar sozinhas.
    </div>
  );
}
