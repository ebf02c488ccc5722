import { useEffect, useRef, useState } from "react";

/** Containers WhatsApp's Opus can be taken from: Ogg as is (Firefox), WebM rewrapped by the server (Chromium, Safari). */
const OPUS_TYPES = ["audio/ogg;codecs=opus", "audio/webm;codecs=opus"];
/** The server refuses longer notes (VOICE_MAX_SECONDS); the recording is sent when it gets there. */
export const VOICE_MAX_SECONDS = 600;
/** Speech needs little: 24 kbit/s keeps a minute near 180 KB, under Meta's 512 KB "play" limit for two. */
const BITS_PER_SECOND = 24_000;

export type Recording = { blob: Blob; mimeType: string };
type Live = { recorder: MediaRecorder; stream: MediaStream; chunks: Blob[]; startedAt: number };

/** Why recording could not start, in the operator's words. */
function startProblem(err: unknown): string {
  const name = err instanceof DOMException ? err.name : "";
  if (name === "NotAllowedError" || name === "SecurityError")
    return "Permita o uso do microfone no navegador para gravar.";
  if (name === "NotFoundError") return "Nenhum microfone encontrado.";
  return "Não foi possível começar a gravar.";
}

/**
 * The browser's MediaRecorder, mono Opus, for voice notes: `start` asks for the
 * microphone (from the click, so the permission prompt may show), `elapsed`
 * ticks while recording, `finish` hands the recording over, `cancel` drops it.
 * The microphone is released whichever way it ends, and when the chat closes.
 */
export function useVoiceRecorder(onMaxReached: () => void) {
  const live = useRef<Live | null>(null);
  const [recording, setRecording] = useState(false);
  const [elapsed, setElapsed] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);

  /** Ends the recording (the recorder first, so its last chunk is kept), then frees the microphone. */
  const release = () => {
    const current = live.current;
    live.current = null;
    setRecording(false);
    if (current?.recorder.state === "recording") current.recorder.stop();
    for (const track of current?.stream.getTracks() ?? []) track.stop();
    return current;
  };

  useEffect(() => {
    if (!recording) return;
    const timer = setInterval(() => {
      const startedAt = live.current?.startedAt ?? Date.now();
      const seconds = Math.floor((Date.now() - startedAt) / 1000);
      setElapsed(seconds);
      if (seconds >= VOICE_MAX_SECONDS) onMaxReached();
    }, 250);
    return () => clearInterval(timer);
  }, [recording, onMaxReached]);

  // Leaving the chat mid-recording turns the microphone off.
  useEffect(
    () => () => {
      const current = live.current;
      live.current = null;
      if (current?.recorder.state === "recording") current.recorder.stop();
      for (const track of current?.stream.getTracks() ?? []) track.stop();
    },
    [],
  );

  async function start() {
    setProblem(null);
    const mimeType = OPUS_TYPES.find((t) => typeof MediaRecorder !== "undefined" && MediaRecorder.isTypeSupported(t));
    if (!mimeType || !navigator.mediaDevices) {
      setProblem("Este navegador não grava áudio em Opus. Use o Chrome, o Edge ou o Firefox.");
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
      });
      const recorder = new MediaRecorder(stream, { mimeType, audioBitsPerSecond: BITS_PER_SECOND });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => {
        if (e.data.size > 0) chunks.push(e.data);
      };
      recorder.start();
      live.current = { recorder, stream, chunks, startedAt: Date.now() };
      setElapsed(0);
      setRecording(true);
    } catch (err) {
      setProblem(startProblem(err));
    }
  }

  /** Stops and gives the whole recording (the last chunk arrives with `stop`). */
  function finish(): Promise<Recording | null> {
    const current = live.current;
    if (!current) return Promise.resolve(null);
    const { recorder, chunks } = current;
    // The stop event comes after the last dataavailable: set before release() stops the recorder.
    const done = new Promise<Recording>((resolve) => {
      recorder.onstop = () =>
        resolve({ blob: new Blob(chunks, { type: recorder.mimeType }), mimeType: recorder.mimeType });
    });
    release();
    return done;
  }

  function cancel() {
    release();
  }

  return { recording, elapsed, problem, start, finish, cancel };
}
