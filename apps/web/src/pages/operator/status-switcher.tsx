import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi, useSession } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDuration } from "../../lib/format";
import type { Presence, Stream } from "../../lib/types";
import { useNow } from "../../lib/use-now";
import { useTrackedSubscription } from "../../lib/use-tracked-subscription";
import { Dialog } from "../../ui/dialog";
import { ErrorBox } from "../../ui/feedback";
import { SelectField, TextField } from "../../ui/field";

const REASONS = ["Almoço", "Café", "Banheiro", "Treinamento", "Reunião"];
type Me = { presence: Presence; pauseReason: string | null; presenceChangedAt: string | Date };

/**
 * The operator's own status. Online receives conversations; Pausa (with a
 * reason) keeps the current ones but receives no new ones; Offline means
 * leaving the console (presence follows the open console).
 */
export function StatusSwitcher() {
  const api = useApi();
  const { signOut } = useSession();
  const qc = useQueryClient();
  const now = useNow(30_000);
  const me = useQuery({ queryKey: ["presence.me"], queryFn: () => api.presence.me.query() });
  const [dialog, setDialog] = useState<"pause" | "offline" | null>(null);
  const [reason, setReason] = useState(REASONS[0] ?? "");
  const [other, setOther] = useState("");

  useTrackedSubscription<Stream<"presence.changed">>(
    (last, h) => api.events.onPresence.subscribe({ lastEventId: last }, h),
    {
      onData: (e) => {
        const p = e.payload;
        qc.setQueryData<Me>(["presence.me"], (old) =>
          old
            ? {
                presence: p.presence,
                pauseReason: p.pauseReason,
                presenceChangedAt: p.changedAt,
              }
            : old,
        );
      },
    },
  );

  const set = useMutation({
    mutationFn: (input: { status: "ONLINE" | "PAUSED"; reason?: string }) => api.presence.setStatus.mutate(input),
    onSuccess: () => {
      setDialog(null);
      void qc.invalidateQueries({ queryKey: ["presence.me"] });
    },
  });

  const current = me.data?.presence ?? "OFFLINE";
  const choose = (v: string) => {
    if (v === "ONLINE") set.mutate({ status: "ONLINE" });
    else if (v === "PAUSED") setDialog("pause");
    else setDialog("offline");
  };
  const pause = (e: FormEvent) => {
    e.preventDefault();
    const r = reason === "Outro" ? other.trim() : reason;
    if (r) set.mutate({ status: "PAUSED", reason: r });
  };
  const since = me.data ? formatDuration(now - new Date(me.data.presenceChangedAt).getTime()) : "";

  return (
    <div className="status-switcher">
      <span className={`presence-dot presence-${current.toLowerCase()}`} aria-hidden="true" />
      <SelectField
        label="Meu status"
        value={current}
        onChange={(e) => choose(e.target.value)}
        disabled={me.isPending || set.isPending}
        hint={
          me.data
            ? `${current === "PAUSED" && me.data.pauseReason ? `${me.data.pauseReason} · ` : ""}há ${since}`
            : undefined
        }
      >
        <option value="ONLINE">Online — recebendo atendimentos</option>
        <option value="PAUSED">Pausa — sem novos atendimentos</option>
        <option value="OFFLINE">Offline — sair do console</option>
      </SelectField>
      {set.error && !dialog && <ErrorBox message={errorMessage(set.error)} />}
      {dialog === "pause" && (
        <Dialog title="Pausar atendimentos" onClose={() => setDialog(null)}>
          <form className="dialog-body" onSubmit={pause}>
            {set.error && <ErrorBox message={errorMessage(set.error)} />}
            <p>Você continua com as conversas abertas, mas não recebe novas até voltar a ficar online.</p>
            <SelectField label="Motivo da pausa" autoFocus value={reason} onChange={(e) => setReason(e.target.value)}>
              {[...REASONS, "Outro"].map((r) => (
                <option key={r}>{r}</option>
              ))}
            </SelectField>
            {reason === "Outro" && (
              <TextField
                label="Descreva o motivo"
                required
                maxLength={120}
                value={other}
                onChange={(e) => setOther(e.target.value)}
              />
            )}
            <footer className="dialog-footer">
              <button type="button" className="btn" onClick={() => setDialog(null)}>
                Cancelar
              </button>
              <button
                type="submit"
                className="btn btn-primary"
                disabled={set.isPending || (reason === "Outro" && !other.trim())}
              >
                Pausar
              </button>
            </footer>
          </form>
        </Dialog>
      )}
      {dialog === "offline" && (
        <Dialog title="Ficar offline" onClose={() => setDialog(null)}>
          <div className="dialog-body">
            <p>
              Você fica offline ao sair do console. As conversas abertas continuam com você; para não receber novas e
              continuar aqui, use “Pausa”.
            </p>
            <footer className="dialog-footer">
              <button type="button" className="btn" onClick={() => setDialog(null)}>
                Cancelar
              </button>
              <button type="button" className="btn" onClick={() => setDialog("pause")}>
                Pausar
              </button>
              <button type="button" className="btn btn-primary" onClick={() => void signOut()}>
                Sair e ficar offline
              </button>
            </footer>
          </div>
        </Dialog>
      )}
    </div>
  );
}
