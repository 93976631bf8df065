/**
 * Reading the HTML report back without a DOM (its markup is regular: every attribute value quoted and
 * escaped, no `<` in text), decoding Chromium's PNG screenshots with zlib alone, and finding Chromium.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { inflateSync } from 'node:zlib';

export interface Tag {
  readonly name: string;
  readonly closing: boolean;
  readonly attrs: Readonly<Record<string, string>>;
  /** Offsets of the tag in the document. */
  readonly start: number;
  readonly end: number;
}

const VOID = new Set(['meta', 'br', 'wbr', 'hr', 'img', 'input', 'link', 'source', 'area', 'base', 'col']);

const unescape = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Every tag of `html`, in order (the `<style>` element's text holds no tag). */
export const tagsOf = (html: string): Tag[] =>
  [...html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)].map((m) => ({
    name: (m[2] as string).toLowerCase(),
    closing: m[1] === '/',
    attrs: Object.fromEntries(
      [...(m[3] as string).matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)].map((a) => [
        (a[1] as string).toLowerCase(),
        unescape(a[2] ?? ''),
      ]),
    ),
    start: m.index,
    end: m.index + m[0].length,
  }));

/** Unclosed or mismatched elements ("</div> closes <span>"), empty when the document is well formed. */
export const structureProblems = (html: string): string[] => {
  const open: Tag[] = [];
  const problems: string[] = [];
  for (const t of tagsOf(html)) {
    if (VOID.has(t.name)) continue;
    if (!t.closing) open.push(t);
    else if (open.at(-1)?.name === t.name) open.pop();
    else problems.push(`</${t.name}> at ${t.start} closes <${open.at(-1)?.name ?? 'nothing'}>`);
  }
  return [...problems, ...open.map((t) => `<${t.name}> at ${t.start} is never closed`)];
};

/** An element: its opening tag and its whole markup. */
export interface Element {
  readonly tag: Tag;
  readonly html: string;
}

/** The elements whose opening tag satisfies `match`, each with its markup up to its matching end tag. */
export const elements = (html: string, match: (t: Tag) => boolean): Element[] => {
  const all = tagsOf(html);
  return all.flatMap((tag, i) => {
    if (tag.closing || !match(tag)) return [];
    if (VOID.has(tag.name)) return [{ tag, html: html.slice(tag.start, tag.end) }];
    let depth = 0;
    for (const t of all.slice(i)) {
      if (t.name !== tag.name) continue;
      depth += t.closing ? -1 : 1;
      if (depth === 0) return [{ tag, html: html.slice(tag.start, t.end) }];
    }
    return [{ tag, html: html.slice(tag.start) }];
  });
};

/** Elements carrying `attrs` (all of them, with these values). */
export const withAttrs = (html: string, attrs: Readonly<Record<string, string>>): Element[] =>
  elements(html, (t) => Object.entries(attrs).every(([k, v]) => t.attrs[k] === v));

/** The text of some markup, tags dropped and entities decoded. */
export const textOf = (html: string): string =>
  unescape(html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]*>/g, ''));

export interface Png {
  readonly width: number;
  readonly height: number;
  /** Bytes per pixel: 3 (RGB) or 4 (RGBA). */
  readonly channels: number;
  readonly pixels: Buffer;
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes): IDAT inflated, rows unfiltered. */
export const decodePng = (png: Buffer): Png => {
  if (!png.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])))
    throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0)
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${interlace}`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const r = raw[y * (stride + 1) + 1 + x] as number;
      const a = x >= channels ? (pixels[y * stride + x - channels] as number) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const c = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] as number) : 0;
      const predicted = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter as number];
      if (predicted === undefined) throw new Error(`unknown PNG filter ${filter}`);
      pixels[y * stride + x] = (r + predicted) & 0xff;
    }
  }
  return { width, height, channels, pixels };
};

/** How many distinct RGB colours the image has, and the share of its most common one. */
export const colourStats = (png: Png): { distinct: number; dominantShare: number } => {
  const counts = new Map<number, number>();
  for (let i = 0; i < png.pixels.length; i += png.channels) {
    const rgb =
      ((png.pixels[i] as number) << 16) |
      ((png.pixels[i + 1] as number) << 8) |
      (png.pixels[i + 2] as number);
    counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
  }
  return {
    distinct: counts.size,
    dominantShare: Math.max(...counts.values()) / (png.width * png.height),
  };
};

/** The first of Chromium's names on PATH (Debian's `chromium`, others' `chromium-browser`, `google-chrome`). */
export const findChromium = (path = process.env.PATH ?? ''): string | undefined => {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome'])
    for (const dir of path.split(delimiter).filter(Boolean)) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  return undefined;
};
