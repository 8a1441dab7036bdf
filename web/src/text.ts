/**
 * The page's words, in the four languages it speaks: each section keeps one table of its texts,
 * each text in every language (so a missing translation fails the typecheck), and reads it through
 * `textTable`. `{name}` marks a value filled in when the text is read.
 */
import { type TemplateResult, html } from "lit-html";

import type { Language } from "./api.js";

/** One text in every language the page speaks. */
export type Texts = Record<Language, string>;

/** Reads `table` in a language, with `{name}` placeholders filled from `values` (others are left as they are). */
export function textTable<K extends string>(table: Record<K, Texts>) {
  return (key: K, lang: Language, values: Record<string, string | number | bigint> = {}): string =>
    table[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/**
 * A text whose placeholders hold markup (a code element, a strong figure), filled from `parts`:
 * the words around them stay in the language's own order.
 */
export function withParts(text: string, parts: Record<string, TemplateResult>): TemplateResult {
  return html`${text.split(/(\{\w+\})/).map((piece) => {
    const name = /^\{(\w+)\}$/.exec(piece)?.[1];
    return name !== undefined && name in parts ? parts[name] : piece;
  })}`;
}
