/**
 * The session token from auth.login, kept in memory and in sessionStorage (so a
 * reload keeps the WebSocket authenticated). HTTP requests also carry the
 * HttpOnly cookie the server set, which is what a new tab relies on.
 */
const KEY = "elsehu.token";
let token: string | null = readStored();

function readStored(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return token;
}

export function setToken(value: string | null): void {
  token = value;
  try {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage may be disabled (private mode); memory is enough for this tab.
  }
}
