import { hash, verify } from "@node-rs/argon2";

/** OWASP argon2id parameters: 19 MiB memory, 2 iterations, 1 lane. */
const PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** A real hash to verify against for unknown emails, so they cost the same time as a wrong password. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword("not-a-real-password-elsehu");
  return dummy;
}
