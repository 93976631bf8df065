import { describe, expect, it } from 'vitest';
import { nextUpdatedAt } from '../../../shared/findings/clock.js';

describe('nextUpdatedAt', () => {
  const now = new Date('2025-03-01T10:00:00.000Z');

  it('is now when nothing newer was stored or issued', () => {
    expect(nextUpdatedAt('id-a', now)).toBe('2025-03-01T10:00:00.000Z');
  });

  it('is strictly increasing for one finding even within the same millisecond', () => {
    const stamps = Array.from({ length: 5 }, () => nextUpdatedAt('id-b', now));
    expect(stamps).toEqual([
      '2025-03-01T10:00:00.000Z',
      '2025-03-01T10:00:00.001Z',
      '2025-03-01T10:00:00.002Z',
      '2025-03-01T10:00:00.003Z',
      '2025-03-01T10:00:00.004Z',
    ]);
  });

  it('is newer than the stored UpdatedAt even when the clock is behind it', () => {
    expect(nextUpdatedAt('id-c', now, '2025-03-01T10:00:05.000Z')).toBe('2025-03-01T10:00:05.001Z');
  });

  it('ignores an unparseable stored value', () => {
    expect(nextUpdatedAt('id-d', now, 'yesterday')).toBe('2025-03-01T10:00:00.000Z');
  });

  it('keeps findings independent', () => {
    nextUpdatedAt('id-e', now);
    expect(nextUpdatedAt('id-f', now)).toBe('2025-03-01T10:00:00.000Z');
  });
});
