import { describe, expect, it } from 'vitest';
import { backoffMs, TokenBucket, type Timer } from '../../../shared/publish/throttle.js';

/** A clock that only moves when someone sleeps. */
const fakeTimer = (): Timer & { slept: number[] } => {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
};

describe('TokenBucket', () => {
  it('lets a burst through at once, then paces calls so no second sees more than rate + burst', async () => {
    const timer = fakeTimer();
    const bucket = new TokenBucket(8, 2, timer);
    const at: number[] = [];
    for (let i = 0; i < 27; i++) {
      await bucket.take();
      at.push(timer.now());
    }
    expect(at.slice(0, 2)).toEqual([0, 0]);
    expect(at[2]).toBe(125);
    // never more than 10 calls in any one-second window
    for (let i = 0; i + 10 < at.length; i++)
      expect((at[i + 10] ?? 0) - (at[i] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(at.at(-1)).toBe(3125);
  });

  it('serves concurrent callers one token each, in order', async () => {
    const timer = fakeTimer();
    const bucket = new TokenBucket(3, 3, timer);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => bucket.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(timer.now()).toBeGreaterThanOrEqual(1000);
  });
});

describe('backoffMs', () => {
  it.each([
    [1, 200],
    [2, 400],
    [3, 800],
    [10, 5000],
  ])('attempt %i waits at most %i ms (full jitter, capped)', (attempt, max) => {
    expect(backoffMs(attempt, 200, 5000, () => 1)).toBe(max);
    expect(backoffMs(attempt, 200, 5000, () => 0)).toBe(0);
  });
});
