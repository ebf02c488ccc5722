import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OGG_BOS, OGG_EOS, oggPage, readOgg } from "../src/messages/voice/ogg-pages";
import { opusHead, opusTags, parseOpusHead } from "../src/messages/voice/opus-packet";
import { prepareVoiceNote, VOICE_MAX_SECONDS } from "../src/messages/voice/voice-note";
import { readWebmOpus } from "../src/messages/voice/webm-opus";

/** 1.5 s recorded by Chromium's MediaRecorder (fake microphone): audio/webm;codecs=opus, 60 ms packets. */
const chromium = new Uint8Array(readFileSync(join(__dirname, "fixtures", "chromium-voice.webm")));
/** A 20 ms CELT silence frame (TOC 0xf8: fullband, 20 ms, one frame). */
const SILENCE = Uint8Array.of(0xf8, 0xff, 0xfe);

/** An Ogg Opus file of `ms` of silence, 50 packets a page. */
function silence(ms: number, channels = 1): Uint8Array {
  const serial = 7;
  const pages = [
    oggPage([opusHead(channels, 312)], { serial, sequence: 0, granule: 0n, flags: OGG_BOS }),
    oggPage([opusTags()], { serial, sequence: 1, granule: 0n, flags: 0 }),
  ];
  const packets = Math.ceil(ms / 20);
  for (let done = 0; done < packets; done += 50) {
    const n = Math.min(50, packets - done);
    const granule = BigInt(312 + (done + n) * 960);
    const flags = done + n === packets ? OGG_EOS : 0;
    pages.push(oggPage(Array(n).fill(SILENCE), { serial, sequence: pages.length, granule, flags }));
  }
  return Buffer.concat(pages);
}

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err as { reason: string; message: string };
  }
  throw new Error("expected a refusal");
};

describe("a voice note is made ready for WhatsApp (mono OGG/Opus)", () => {
  it("rewraps Chromium's WebM recording as Ogg Opus, packets and length unchanged", () => {
    const webm = readWebmOpus(chromium);
    if ("problem" in webm) throw new Error(webm.problem);
    const note = prepareVoiceNote(chromium, "audio/webm;codecs=opus");
    expect(note.mimeType).toBe("audio/ogg");
    expect(Buffer.from(note.bytes.subarray(0, 4)).toString()).toBe("OggS");
    const ogg = readOgg(note.bytes);
    if ("problem" in ogg) throw new Error(ogg.problem);
    expect(parseOpusHead(ogg.packets[0] ?? new Uint8Array())).toMatchObject({ channels: 1, inputRate: 48000 });
    expect(ogg.packets.slice(2)).toEqual(webm.packets);
    expect(note.durationMs).toBeGreaterThan(1300);
    expect(note.durationMs).toBeLessThan(2000);
  });

  it("takes an Ogg Opus upload as it is, and reads its length from the stream", () => {
    const file = silence(3000);
    const note = prepareVoiceNote(file, "audio/ogg; codecs=opus");
    expect(note.bytes).toBe(file);
    expect(note.durationMs).toBe(3000);
  });

  it("refuses what WhatsApp would not play as a voice note, with a reason", () => {
    const text = new TextEncoder().encode("conteudo");
    expect(refusal(() => prepareVoiceNote(text, "audio/ogg"))).toMatchObject({ reason: "VOICE_NOT_OGG_OPUS" });
    expect(refusal(() => prepareVoiceNote(text, "audio/webm"))).toMatchObject({ reason: "VOICE_NOT_OGG_OPUS" });
    const cut = silence(3000).subarray(0, 500);
    expect(refusal(() => prepareVoiceNote(cut, "audio/ogg")).message).toMatch(/truncated/);
    const flipped = silence(3000);
    flipped[200] = (flipped[200] ?? 0) ^ 0xff;
    expect(refusal(() => prepareVoiceNote(flipped, "audio/ogg")).message).toMatch(/CRC/);
    expect(refusal(() => prepareVoiceNote(silence(3000, 2), "audio/ogg"))).toMatchObject({ reason: "VOICE_NOT_MONO" });
    expect(refusal(() => prepareVoiceNote(silence(200), "audio/ogg"))).toMatchObject({ reason: "VOICE_TOO_SHORT" });
    const long = silence((VOICE_MAX_SECONDS + 1) * 1000);
    expect(refusal(() => prepareVoiceNote(long, "audio/ogg"))).toMatchObject({ reason: "VOICE_TOO_LONG" });
  });

  it("refuses a stereo WebM recording and one cut short", () => {
    const stereo = chromium.slice();
    const head = Buffer.from(stereo).indexOf("OpusHead");
    stereo[head + 9] = 2;
    expect(refusal(() => prepareVoiceNote(stereo, "audio/webm"))).toMatchObject({ reason: "VOICE_NOT_MONO" });
    const cut = chromium.subarray(0, chromium.length - 5);
    expect(refusal(() => prepareVoiceNote(cut, "audio/webm")).message).toMatch(/truncated/);
  });
});
