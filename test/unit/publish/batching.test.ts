import { describe, expect, it } from 'vitest';
import { findingIdOf } from '../../../shared/findings/identity.js';
import { toAsff } from '../../../shared/publish/asff.js';
import { batchBy, jsonBytes } from '../../../shared/publish/batching.js';
import { IMPORT_BATCH } from '../../../shared/publish/securityHub.js';
import { failing } from './fixtures.js';

const finding = (i: number, detailBytes = 0) => {
  const result = failing({
    destinationBucket: `dr-${i}`,
    details: detailBytes
      ? Object.fromEntries(Array.from({ length: 45 }, (_, k) => [`d${k}`, 'x'.repeat(detailBytes / 45)]))
      : {},
  });
  return toAsff({ id: findingIdOf(result), result, productArn: 'p', updatedAt: '2025-03-02T12:00:00.000Z' });
};

const importBatches = <T>(items: T[]) => batchBy(items, { ...IMPORT_BATCH, sizeOf: jsonBytes });

describe('batchBy (BatchImportFindings limits)', () => {
  it('splits 250 findings into 100 + 100 + 50, in order', () => {
    const batches = importBatches(Array.from({ length: 250 }, (_, i) => finding(i)));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((f) => f.Resources?.[1]?.Id)).toEqual(
      Array.from({ length: 250 }, (_, i) => `arn:aws:s3:::dr-${i}`),
    );
  });

  it('starts a new batch before 6 MB even when fewer than 100 findings', () => {
    const big = Array.from({ length: 100 }, (_, i) => finding(i, 90_000));
    expect(jsonBytes(big[0])).toBeGreaterThan(80_000);
    const batches = importBatches(big);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(100);
      expect(jsonBytes({ Findings: b })).toBeLessThanOrEqual(6_000_000);
    }
    expect(batches.flat()).toHaveLength(100);
  });

  it('gives an item larger than the limit a batch of its own instead of dropping it', () => {
    const batches = batchBy(['a', 'bbbbbbbbbb', 'c'], { maxCount: 10, maxBytes: 5, sizeOf: (s) => s.length });
    expect(batches).toEqual([['a'], ['bbbbbbbbbb'], ['c']]);
  });

  it('returns no batch for no items', () => {
    expect(importBatches([])).toEqual([]);
  });
});
