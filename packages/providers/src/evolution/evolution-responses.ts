import type { QrCode, SendResult } from "../adapter";
import { ProviderError } from "../errors";

/** The send response is the stored message; `key.id` is what messages.update reports later. */
export function toSendResult(body: unknown): SendResult {
  const key = (typeof body === "object" && body !== null && "key" in body ? body.key : undefined) as
    | { id?: unknown; remoteJid?: unknown }
    | undefined;
  if (typeof key?.id !== "string") {
    throw new ProviderError({
      provider: "EVOLUTION",
      code: "BAD_RESPONSE",
      retryable: false,
      providerMessage: "send response without key.id",
    });
  }
  const result: SendResult = { providerMessageId: key.id };
  if (typeof key.remoteJid === "string") {
    result.remoteJid = key.remoteJid;
    // Evolution may have picked the JID without the BR ninth digit: that is the wa id.
    const digits = /^(\d+)@s\.whatsapp\.net$/.exec(key.remoteJid)?.[1];
    if (digits) result.waId = digits;
  }
  return result;
}

/** `{pairingCode, code, base64, count}` → QrCode; null when the object has no QR. */
export function qrOf(value: unknown): QrCode | null {
  if (typeof value !== "object" || value === null) return null;
  const qr: QrCode = {};
  if ("base64" in value && typeof value.base64 === "string") qr.qrBase64 = value.base64;
  if ("code" in value && typeof value.code === "string") qr.code = value.code;
  if ("pairingCode" in value && typeof value.pairingCode === "string") qr.pairingCode = value.pairingCode;
  return qr.qrBase64 || qr.code || qr.pairingCode ? qr : null;
}
