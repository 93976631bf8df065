/**
 * Object replication statuses → counts per replication rule, from either source (an S3 Inventory report or a
 * sample of HeadObject answers). Pure: object keys are used only to match rule prefixes, never kept.
 */
import type { ReplicationRule, RuleObjectCounts } from '../../model/snapshot.js';

/** One object version and its replication status as S3 reports it (`undefined`: no status). */
export interface ObjectStatusRow {
  readonly key: string;
  readonly status: string | undefined;
  readonly lastModified?: number;
  readonly isDeleteMarker?: boolean;
}

/** A pending replication older than this is stalled. */
export const STALE_PENDING_MS = 60 * 60_000;

const empty = (): { -readonly [K in keyof RuleObjectCounts]: number } => ({
  failed: 0,
  missing: 0,
  pending: 0,
  stalePending: 0,
  completed: 0,
});

/** Rules whose filter a key alone decides (a prefix, or none); tag filters need each object's tags. */
export const judgedByKey = (rule: ReplicationRule): boolean => (rule.filter.tags ?? []).length === 0;

/**
 * Counts per enabled rule: every version a rule's prefix covers is FAILED, never replicated (no status),
 * PENDING (stale after an hour), or done. Replicas (the source is also a destination) and delete markers
 * are not the rule's objects.
 */
export class ObjectCounter {
  readonly #rules: readonly ReplicationRule[];
  readonly #counts = new Map<string, ReturnType<typeof empty>>();
  examined = 0;

  constructor(
    rules: readonly ReplicationRule[],
    readonly now: number,
  ) {
    this.#rules = rules.filter((r) => r.status === 'Enabled' && judgedByKey(r));
    for (const r of this.#rules) this.#counts.set(r.id, empty());
  }

  add(row: ObjectStatusRow): void {
    if (row.isDeleteMarker) return;
    this.examined++;
    const status = row.status?.toUpperCase();
    if (status === 'REPLICA') return;
    for (const rule of this.#rules) {
      if (!row.key.startsWith(rule.filter.prefix ?? '')) continue;
      const c = this.#counts.get(rule.id) as ReturnType<typeof empty>;
      if (status === 'FAILED') c.failed++;
      else if (status === 'PENDING') {
        c.pending++;
        if (row.lastModified !== undefined && this.now - row.lastModified > STALE_PENDING_MS)
          c.stalePending++;
      } else if (status === 'COMPLETED' || status === 'COMPLETE') c.completed++;
      else c.missing++;
    }
  }

  counts(): Record<string, RuleObjectCounts> {
    return Object.fromEntries(this.#counts);
  }
}

/** Splits one CSV line (RFC 4180 quoting) into fields. */
export const csvFields = (line: string): string[] => {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
};

/** Inventory CSV keys are URL-encoded (spaces as `+` or `%20`). */
const decodeKey = (key: string): string => {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
};

/** The rows of one inventory CSV file, its columns named by the manifest's `fileSchema`. */
export const inventoryRows = function* (text: string, fileSchema: string): Generator<ObjectStatusRow> {
  const columns = fileSchema.split(',').map((c) => c.trim());
  const at = (name: string) => columns.indexOf(name);
  const [key, status, modified, marker] = [
    at('Key'),
    at('ReplicationStatus'),
    at('LastModifiedDate'),
    at('IsDeleteMarker'),
  ];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (!line) continue;
    const f = csvFields(line);
    const stamp = modified >= 0 ? Date.parse(f[modified] ?? '') : Number.NaN;
    yield {
      key: decodeKey(f[key] ?? ''),
      status: status >= 0 && f[status] ? f[status] : undefined,
      ...(Number.isNaN(stamp) ? {} : { lastModified: stamp }),
      ...(marker >= 0 && f[marker] === 'true' ? { isDeleteMarker: true } : {}),
    };
  }
};

/** The parts of an inventory `manifest.json` a count needs. */
export interface InventoryManifest {
  readonly fileFormat: string;
  readonly fileSchema: string;
  readonly files: readonly { readonly key: string }[];
  readonly creationTimestamp?: string;
}

export const parseInventoryManifest = (text: string): InventoryManifest => {
  const m = JSON.parse(text) as Partial<InventoryManifest>;
  if (typeof m.fileSchema !== 'string' || !Array.isArray(m.files))
    throw new Error('not an S3 Inventory manifest (no fileSchema or files)');
  return {
    fileFormat: m.fileFormat ?? 'CSV',
    fileSchema: m.fileSchema,
    files: m.files,
    ...(m.creationTimestamp ? { creationTimestamp: m.creationTimestamp } : {}),
  };
};
