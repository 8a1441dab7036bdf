/**
 * The reader's language for the service's texts (claim stages, deadline states, help, alerts) and
 * for dates and durations: English, Indonesian, Spanish or Chinese. Chosen in the header; the
 * first visit takes it from the browser's languages; the choice is remembered.
 */
import { LANGUAGES as LANGUAGE_CODES, type Language, negotiateLanguage } from "../../service/src/claims/i18n.js";
import { stationText } from "./stationText.js";

export const LANGUAGES: readonly { code: Language; name: string; locale: string }[] = [
  { code: "en", name: "English", locale: "en" },
  { code: "id", name: "Bahasa Indonesia", locale: "id-ID" },
  { code: "es", name: "Español", locale: "es" },
  { code: "zh", name: "中文", locale: "zh-CN" },
];

const STORAGE_KEY = "station.lang";

/** A language code the page serves, exactly (the select's values, the remembered choice). */
export function servedLanguage(code: string | null | undefined): Language | undefined {
  return LANGUAGE_CODES.find((l) => l === code);
}

/**
 * A link's `?lang=` (the embeddable button and emergency cards pass the reader's language), else
 * the remembered choice, else the first of the browser's languages we serve, else English.
 */
export function initialLanguage(search: string = location.search): Language {
  // A link names its language explicitly: the service's rule (unknown codes get English) applies.
  const linked = new URLSearchParams(search).get("lang");
  if (linked !== null && linked.trim() !== "") return negotiateLanguage(linked, undefined);
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage disabled: fall through to the browser's languages
  }
  const fromStore = servedLanguage(stored);
  if (fromStore) return fromStore;
  // The browser's languages in order of preference, matched as the service matches Accept-Language.
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language];
  return negotiateLanguage(undefined, tags.filter(Boolean).join(","));
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

/** A duration in seconds, short, with the reader's units: "45 s", "12 min", "3.5 h", "2.1 d" (numbers as the page writes them). */
export function formatDuration(seconds: number, lang: Language): string {
  const one = (n: number) => n.toFixed(1).replace(/\.0$/, "");
  if (seconds < 60) return stationText("seconds", lang, { n: Math.round(seconds) });
  if (seconds < 3600) return stationText("minutes", lang, { n: Math.round(seconds / 60) });
  if (seconds < 86_400) return stationText("hours", lang, { n: one(seconds / 3600) });
  return stationText("days", lang, { n: one(seconds / 86_400) });
}
