import { randomBytes, randomInt } from "node:crypto";

/** Shaped like real ids so parsers and regexes treat them the same. */
export function wamid(): string {
  return `wamid.${randomBytes(30).toString("base64")}`;
}

export function evolutionKeyId(): string {
  return `3EB0${randomBytes(9).toString("hex").toUpperCase()}`;
}

export function inboundKeyId(): string {
  return `3A${randomBytes(9).toString("hex").toUpperCase()}`;
}

export function metaMediaId(): string {
  // 16 digits like real media ids (randomInt caps its range at 2^48).
  return `${randomInt(1e7, 1e8)}${randomInt(1e7, 1e8)}`;
}

export function uuid(): string {
  return crypto.randomUUID();
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
