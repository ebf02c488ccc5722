import { useSyncExternalStore } from "react";
import { beep } from "./beep";

/**
 * The user's alerts for news that is not on screen: a desktop notification
 * (Notification API, only while the tab is hidden, only once he turned it on
 * and the browser granted it) and the beep. Kept per user in this browser,
 * since the permission is the browser's too.
 */
export type AlertPrefs = { desktop: boolean; sound: boolean };
const DEFAULTS: AlertPrefs = { desktop: false, sound: true };

let userId = "";
let prefs: AlertPrefs = DEFAULTS;
const listeners = new Set<() => void>();
const storageKey = () => `elsehu.alerts.${userId}`;

/** Loads the signed-in user's choices (the shell calls it once per user). */
export function loadAlertPrefs(id: string): void {
  userId = id;
  try {
    prefs = { ...DEFAULTS, ...(JSON.parse(localStorage.getItem(storageKey()) ?? "{}") as Partial<AlertPrefs>) };
  } catch {
    prefs = DEFAULTS; // Unreadable (edited by hand): back to the defaults.
  }
  for (const fn of listeners) fn();
}

export function setAlertPrefs(next: Partial<AlertPrefs>): void {
  prefs = { ...prefs, ...next };
  localStorage.setItem(storageKey(), JSON.stringify(prefs));
  for (const fn of listeners) fn();
}

export function useAlertPrefs(): AlertPrefs {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => prefs,
  );
}

export const notificationsSupported = () => typeof window !== "undefined" && "Notification" in window;

/**
 * Asks the browser for permission; must run inside a click (browsers ignore or
 * block prompts without a user gesture). Turns desktop alerts on when granted.
 */
export async function enableDesktopAlerts(): Promise<NotificationPermission> {
  if (!notificationsSupported()) return "denied";
  const permission =
    Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
  setAlertPrefs({ desktop: permission === "granted" });
  return permission;
}

/**
 * Tells the user something happened: a desktop notification when the tab is
 * hidden (a click brings the console back), and the beep if he keeps sound on.
 * `tag` folds repeated news of one conversation into one notification.
 */
export function alertUser(title: string, body: string, tag: string): void {
  if (prefs.sound) beep();
  const hidden = document.visibilityState === "hidden";
  if (!hidden || !prefs.desktop || !notificationsSupported() || Notification.permission !== "granted") return;
  const n = new Notification(title, { body, tag, lang: "pt-BR" });
  n.onclick = () => {
    window.focus();
    n.close();
  };
}
