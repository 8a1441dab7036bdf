/**
 * What an uploaded file is, judged from its bytes alone (the declared Content-Type and name are
 * ignored): the few formats a claimant attaches. Everything else, HTML and SVG included, is
 * refused, so nothing uploaded can ever run as a page.
 */
const SIGNATURES: Array<{ type: string; test: (b: Uint8Array) => boolean }> = [
  { type: "image/png", test: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: "image/jpeg", test: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { type: "image/gif", test: (b) => ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a") },
  { type: "image/webp", test: (b) => ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP") },
  { type: "application/pdf", test: (b) => ascii(b, 0, "%PDF-") },
];

const starts = (b: Uint8Array, sig: number[]) => b.length >= sig.length && sig.every((x, i) => b[i] === x);
const ascii = (b: Uint8Array, at: number, s: string) =>
  b.length >= at + s.length && [...s].every((ch, i) => b[at + i] === ch.charCodeAt(0));

/** Text a person or a log wrote: valid UTF-8, no NUL, and nothing that a browser would sniff as markup. */
function isPlainText(b: Uint8Array): boolean {
  if (b.includes(0)) return false;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    return false;
  }
  return !/^\s*</.test(text);
}

/** The file's type from its bytes, or undefined when it is none of the allowed ones. */
export function sniffType(bytes: Uint8Array): string | undefined {
  for (const s of SIGNATURES) if (s.test(bytes)) return s.type;
  return isPlainText(bytes) ? "text/plain; charset=utf-8" : undefined;
}

export const ALLOWED_TYPES = "PNG, JPEG, GIF, WebP, PDF or UTF-8 text (not HTML or SVG)";
