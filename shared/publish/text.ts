/** Text limits helpers: cut without splitting a character, make a string a safe one-line ASCII subject. */

const ELLIPSIS = '…';

/** True when the UTF-16 unit at `i` is the low half of a surrogate pair. */
const isLowSurrogate = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
};

/**
 * `text` cut to at most `max` UTF-16 code units (how AWS APIs count length), ending in `suffix` when cut,
 * never splitting a surrogate pair.
 */
export const truncate = (text: string, max: number, suffix = ELLIPSIS): string => {
  if (text.length <= max) return text;
  let end = Math.max(0, max - suffix.length);
  if (end > 0 && isLowSurrogate(text, end)) end -= 1;
  return `${text.slice(0, end).trimEnd()}${suffix}`.slice(0, max);
};

/** UTF-8 length in bytes. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes, ending in `suffix` when cut, never splitting a code point.
 * UTF-16 units and code points never outnumber UTF-8 bytes, so the result fits however a service counts.
 */
export const truncateUtf8 = (text: string, maxBytes: number, suffix = ELLIPSIS): string => {
  if (utf8Bytes(text) <= maxBytes) return text;
  const budget = maxBytes - utf8Bytes(suffix);
  let out = '';
  let used = 0;
  for (const ch of text) {
    const size = utf8Bytes(ch);
    if (used + size > budget) break;
    out += ch;
    used += size;
  }
  return `${out.trimEnd()}${suffix}`;
};

const ASCII_REPLACEMENTS: readonly [RegExp, string][] = [
  [/[→⇒⟶]/g, '->'],
  [/[←⇐]/g, '<-'],
  [/…/g, '...'],
  [/[‐‑‒–—―]/g, '-'],
  [/[‘’‚‛]/g, "'"],
  [/[“”„‟]/g, '"'],
  [/[ \u00a0\u2000-\u200b]/g, ' '],
];

/** One line of printable ASCII: common punctuation transliterated, other characters as `?`, whitespace collapsed. */
export const toAsciiLine = (text: string): string => {
  let out = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  for (const [pattern, replacement] of ASCII_REPLACEMENTS) out = out.replace(pattern, replacement);
  return out
    .replace(/[\r\n\t\f\v]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/ {2,}/g, ' ')
    .trim();
};
