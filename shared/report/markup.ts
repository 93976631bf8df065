/**
 * Safe HTML by construction: `h` is a tagged template that escapes every interpolated value unless it is
 * markup `h` made itself. Bucket names, rule ids, tag values and messages are untrusted: they only ever
 * reach the page as escaped text (and attribute values are always quoted).
 */

/** Markup made by `h` (never from a plain string). */
export class Markup {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type Part = string | number | Markup | readonly Part[] | null | undefined | false;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const render = (part: Part): string => {
  if (part instanceof Markup) return part.html;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part));
};

/** `h\`<td class="x">${text}</td>\``: the literal parts are markup, every value is escaped text. */
export const h = (strings: TemplateStringsArray, ...values: readonly Part[]): Markup =>
  new Markup(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
