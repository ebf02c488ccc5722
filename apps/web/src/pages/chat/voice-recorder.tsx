import { useMutation } from "@tanstack/react-query";
import { type ReactNode, useCallback, useRef } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { ErrorBox } from "../../ui/feedback";
import { StrokeIcon } from "../../ui/icon";
import { sendVoice } from "./send-message";
import { useVoiceRecorder } from "./use-voice-recorder";

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

/**
 * Voice notes from the composer: the microphone button starts recording; the bar
 * that takes the composer's place shows the time, "Cancelar" drops the recording
 * and "Enviar" sends it as a voice note (the customer gets a recorded-audio
 * message, not a file). `children` is the composer, shown while not recording.
 */
export function VoiceComposer({
  conversationId,
  replyToId,
  onSent,
  children,
}: {
  conversationId: string;
  replyToId: string | null;
  onSent: () => void;
  children: (mic: ReactNode) => ReactNode;
}) {
  const api = useApi();
  const sendRef = useRef<() => void>(() => {});
  const onMax = useCallback(() => sendRef.current(), []);
  const voice = useVoiceRecorder(onMax);
  const send = useMutation({
    mutationFn: async () => {
      const recording = await voice.finish();
      if (recording) await sendVoice(api, conversationId, recording.blob, recording.mimeType, replyToId);
    },
    onSuccess: onSent,
  });
  sendRef.current = () => send.mutate();
  const mic = (
    <button
      type="button"
      className="btn"
      title="Gravar mensagem de voz"
      onClick={() => {
        send.reset();
        void voice.start();
      }}
    >
      <StrokeIcon size={18}>
        <rect x="9" y="3" width="6" height="11" rx="3" />
        <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
      </StrokeIcon>
      <span className="sr-only">Gravar mensagem de voz</span>
    </button>
  );
  const problem = voice.problem ?? (send.error ? errorMessage(send.error) : null);
  if (!voice.recording && !send.isPending) {
    return (
      <>
        {problem && <ErrorBox message={problem} />}
        {children(mic)}
      </>
    );
  }
  return (
    <div className="composer">
      <fieldset className="voice-bar" aria-label="Gravação de voz">
        <span className="voice-dot" aria-hidden="true" />
        <span className="voice-time" role="timer" aria-live="off">
          {send.isPending ? "Enviando…" : `Gravando ${clock(voice.elapsed)}`}
        </span>
        <button type="button" className="btn" onClick={voice.cancel} disabled={send.isPending}>
          Cancelar
        </button>
        <button type="button" className="btn btn-primary" onClick={() => send.mutate()} disabled={send.isPending}>
          Enviar áudio
        </button>
      </fieldset>
    </div>
  );
}
