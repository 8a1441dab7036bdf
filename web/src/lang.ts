/**
 * The reader's language for the service's texts (claim stages, deadline states, help, alerts) and
 * for dates and durations: English, Indonesian, Spanish or Chinese. Chosen in the header; the
 * first visit takes it from the browser's languages; the choice is remembered.
 */
import type { Language } from "./api.js";

export const LANGUAGES: readonly { code: Language; name: string; locale: string }[] = [
  { code: "en", name: "English", locale: "en" },
  { code: "id", name: "Bahasa Indonesia", locale: "id-ID" },
  { code: "es", name: "Español", locale: "es" },
  { code: "zh", name: "中文", locale: "zh-CN" },
];

const STORAGE_KEY = "station.lang";

/** The served language of a BCP 47 tag (`zh-Hant-TW` → zh; `in` is the old code for Indonesian). */
export function matchLanguage(tag: string): Language | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  const code = primary === "in" ? "id" : primary;
  return LANGUAGES.find((l) => l.code === code)?.code;
}

/** The remembered choice, else the first of the browser's languages we serve, else English. */
export function initialLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage disabled: fall through to the browser's languages
  }
  const fromStore = stored === null ? undefined : matchLanguage(stored);
  if (fromStore) return fromStore;
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of tags) {
    const lang = tag ? matchLanguage(tag) : undefined;
    if (lang) return lang;
  }
  return "en";
}

export function rememberLanguage(lang: Language) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered; still used for this visit
  }
}

const localeOf = (lang: Language) => LANGUAGES.find((l) => l.code === lang)?.locale ?? "en";

/** A unix time as a date and time in the reader's locale. */
export function formatTime(unix: number, lang: Language): string {
  return new Intl.DateTimeFormat(localeOf(lang), { dateStyle: "medium", timeStyle: "short" }).format(unix * 1000);
}

/** "in 38 minutes" / "5 minutes ago", in the reader's language. */
export function formatRelative(secondsFromNow: number, lang: Language): string {
  const rtf = new Intl.RelativeTimeFormat(localeOf(lang), { numeric: "auto" });
  const abs = Math.abs(secondsFromNow);
  if (abs < 60) return rtf.format(Math.round(secondsFromNow), "second");
  if (abs < 3600) return rtf.format(Math.round(secondsFromNow / 60), "minute");
  if (abs < 86_400 * 2) return rtf.format(Math.round(secondsFromNow / 3600), "hour");
  return rtf.format(Math.round(secondsFromNow / 86_400), "day");
}

/** A duration in seconds, short: "45 s", "12 min", "3.5 h", "2.1 d". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1).replace(/\.0$/, "")} h`;
  return `${(seconds / 86_400).toFixed(1).replace(/\.0$/, "")} d`;
}
