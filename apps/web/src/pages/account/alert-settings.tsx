import { useState } from "react";
import { enableDesktopAlerts, notificationsSupported, setAlertPrefs, useAlertPrefs } from "../../lib/notifications";
import { CheckboxField } from "../../ui/field";

const DENIED =
  "O navegador bloqueou as notificações deste site. Libere-as nas configurações do navegador (ícone ao lado do endereço).";

/**
 * "Avisos": desktop notifications for news while the console is in another tab
 * (new conversation for me, new message in mine), and the beep. Turning the
 * first on asks the browser's permission, from this click.
 */
export function AlertSettings() {
  const prefs = useAlertPrefs();
  const [problem, setProblem] = useState<string | null>(null);
  const supported = notificationsSupported();
  return (
    <div className="card">
      <h2>Avisos</h2>
      <p className="muted">Para novas conversas atribuídas a você e novas mensagens nas suas conversas.</p>
      <CheckboxField
        label="Notificações na área de trabalho (com o console em segundo plano)"
        checked={prefs.desktop}
        disabled={!supported}
        onChange={(e) => {
          setProblem(null);
          if (!e.target.checked) return setAlertPrefs({ desktop: false });
          void enableDesktopAlerts().then((p) => setProblem(p === "granted" ? null : DENIED));
        }}
      />
      {!supported && <p className="muted small">Este navegador não mostra notificações.</p>}
      {problem && <p className="field-error small">{problem}</p>}
      <CheckboxField
        label="Som de aviso"
        checked={prefs.sound}
        onChange={(e) => setAlertPrefs({ sound: e.target.checked })}
      />
    </div>
  );
}
