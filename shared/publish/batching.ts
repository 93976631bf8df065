export interface BatchLimits<T> {
  readonly maxCount: number;
  readonly maxBytes: number;
  /** Serialized size of one item in bytes. */
  readonly sizeOf: (item: T) => number;
  /** Bytes every request carries besides its items (envelope, separators). */
  readonly overheadBytes?: number;
}

/**
 * Splits `items` into consecutive batches of at most `maxCount` items and `maxBytes` bytes (items plus
 * one separator byte each plus the overhead), keeping order. An item too large on its own gets a batch
 * of its own, so the service names it rather than us dropping it.
 */
export const batchBy = <T>(items: readonly T[], limits: BatchLimits<T>): T[][] => {
  const overhead = limits.overheadBytes ?? 0;
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = overhead;
  for (const item of items) {
    const size = limits.sizeOf(item) + 1;
    if (current.length > 0 && (current.length >= limits.maxCount || bytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = overhead;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

/** JSON size in UTF-8 bytes. */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
