/**
 * Helpers for reading AWS Config items, whose values come as JSON strings or objects (sometimes a JSON
 * string inside a JSON string), with camelCase, PascalCase or Config's own spellings, and `null` sentinels.
 * Pure: no AWS SDK.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Parses a value that may be JSON text (possibly encoded more than once) into a value; objects pass through. */
export const decodeValue = (value: unknown): unknown => {
  let current = value;
  for (let depth = 0; depth < 3 && typeof current === 'string'; depth++) {
    const text = current.trim();
    if (!(text.startsWith('{') || text.startsWith('[') || text.startsWith('"'))) return current;
    try {
      current = JSON.parse(text) as unknown;
    } catch {
      return current;
    }
  }
  return current;
};

/** The value as a plain object (decoding JSON text first), or `undefined`. */
export const asObject = (value: unknown): JsonObject | undefined => {
  const decoded = decodeValue(value);
  return typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded)
    ? (decoded as JsonObject)
    : undefined;
};

/** The value as an array (decoding JSON text first), or `undefined`. */
export const asArray = (value: unknown): unknown[] | undefined => {
  const decoded = decodeValue(value);
  return Array.isArray(decoded) ? decoded : undefined;
};

/** A non-empty string, or `undefined` (Config writes `null` for unset values). */
export const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** A finite number (numbers given as text too), or `undefined`. */
export const asNumber = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** A boolean (`"true"`/`"false"` text too), or `undefined`. */
export const asBoolean = (value: unknown): boolean | undefined => {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
};

const fold = (name: string): string => name.toLowerCase().replace(/[_-]/g, '');

/**
 * The first present field among `names`, matched without regard to case (`bucketARN`, `BucketArn`,
 * `bucketArn` are one field). `null` counts as absent. Values come back as written: strings are not decoded
 * here (a prefix may look like JSON); `asObject`/`asArray` decode JSON text where an object is expected.
 */
export const field = (obj: unknown, ...names: string[]): unknown => {
  const o = asObject(obj);
  if (!o) return undefined;
  for (const name of names) {
    if (o[name] !== undefined && o[name] !== null) return o[name];
  }
  const wanted = new Set(names.map(fold));
  for (const [key, value] of Object.entries(o)) {
    if (wanted.has(fold(key)) && value !== null && value !== undefined) return value;
  }
  return undefined;
};

/** True when the object has the field at all, even with a `null` value. */
export const hasField = (obj: unknown, ...names: string[]): boolean => {
  const o = asObject(obj);
  if (!o) return false;
  const wanted = new Set(names.map(fold));
  return Object.keys(o).some((key) => wanted.has(fold(key)));
};

/** `Enabled` / `Disabled` from any casing (`ENABLED`, `enabled`), or `undefined`. */
export const asToggle = (value: unknown): 'Enabled' | 'Disabled' | undefined => {
  const s = asString(value)?.toLowerCase();
  return s === 'enabled' ? 'Enabled' : s === 'disabled' ? 'Disabled' : undefined;
};

/** The `status` of a `{ status }` block (or a bare status string) as a toggle. */
export const statusOf = (block: unknown): 'Enabled' | 'Disabled' | undefined =>
  typeof block === 'string' ? asToggle(block) : asToggle(field(block, 'status'));
