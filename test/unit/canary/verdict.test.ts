import { describe, expect, it } from 'vitest';
import {
  canaryKey,
  decodeState,
  encodeState,
  isFailure,
  judge,
  MAX_STATE_BYTES,
  newestPerPair,
  pairId,
  type PendingCanary,
} from '../../../shared/canary/verdict.js';
import type { CanaryPair } from '../../../shared/model/canary.js';

const T0 = Date.parse('2025-03-04T22:00:00Z');
const MIN = 60_000;

const PAIR: CanaryPair = {
  bucket: 'phi-prod',
  accountId: '111111111111',
  region: 'us-east-1',
  replicationRuleId: 'to-dr',
  destinationBucket: 'phi-dr',
  destinationAccountId: '222222222222',
  thresholdMinutes: 15,
  rtc: false,
};
const CANARY = { key: canaryKey(T0, '1a2b3c4d'), writtenAt: T0 };

describe('canaryKey', () => {
  it('is under the reserved prefix, with the write time and the random part', () => {
    expect(canaryKey(T0 + 123, 'abcd0123')).toBe('replguard-canary/20250304T220000123Z-abcd0123.txt');
  });
});

describe('judge', () => {
  it('replicated at the first sight of the replica, with the latency to that sight', () => {
    const v = judge(PAIR, CANARY, { sourceStatus: 'COMPLETED', replica: 'present' }, T0 + 4200, true);
    expect(v).toMatchObject({ outcome: 'replicated', latencySeconds: 4.2, measuredInRun: true });
    expect(isFailure(v!)).toBe(false);
  });

  it('a replica seen by a later run is replicated too, its latency an upper bound', () => {
    const v = judge(PAIR, CANARY, { sourceStatus: 'PENDING', replica: 'present' }, T0 + 16 * MIN, false);
    expect(v).toMatchObject({ outcome: 'replicated', latencySeconds: 960, measuredInRun: false });
  });

  it('stays pending while the threshold has not passed', () => {
    expect(judge(PAIR, CANARY, { sourceStatus: 'PENDING', replica: 'absent' }, T0 + 14 * MIN, false)).toBe(
      undefined,
    );
    expect(judge(PAIR, CANARY, { sourceStatus: 'none', replica: 'absent' }, T0 + 1000, true)).toBe(undefined);
  });

  it('is late once the threshold passed without the replica', () => {
    const v = judge(PAIR, CANARY, { sourceStatus: 'PENDING', replica: 'absent' }, T0 + 15 * MIN, false);
    expect(v).toMatchObject({ outcome: 'late', sourceStatus: 'PENDING', replica: 'absent' });
    expect(v?.latencySeconds).toBeUndefined();
    expect(isFailure(v!)).toBe(true);
  });

  it('uses the RTC threshold of the pair', () => {
    const rtc = { ...PAIR, thresholdMinutes: 10, rtc: true };
    expect(
      judge(rtc, CANARY, { sourceStatus: 'PENDING', replica: 'absent' }, T0 + 10 * MIN, false)?.outcome,
    ).toBe('late');
  });

  it('fails at once when S3 marks the replication FAILED', () => {
    expect(judge(PAIR, CANARY, { sourceStatus: 'FAILED', replica: 'absent' }, T0 + 2000, true)?.outcome).toBe(
      'failed',
    );
  });

  it('takes an unreadable replica as there when S3 says COMPLETED, and otherwise waits for the threshold', () => {
    const denied = { replica: 'unreadable' as const, replicaNote: 'AccessDenied on s3:GetObject' };
    expect(judge(PAIR, CANARY, { ...denied, sourceStatus: 'COMPLETED' }, T0 + 3000, true)).toMatchObject({
      outcome: 'replicated',
      replicaNote: 'AccessDenied on s3:GetObject',
    });
    expect(judge(PAIR, CANARY, { ...denied, sourceStatus: 'PENDING' }, T0 + 3000, true)).toBe(undefined);
    expect(judge(PAIR, CANARY, { ...denied, sourceStatus: 'PENDING' }, T0 + 20 * MIN, false)?.outcome).toBe(
      'late',
    );
  });
});

describe('newestPerPair', () => {
  it('keeps the newest canary judged for each pair', () => {
    const late = judge(PAIR, CANARY, { sourceStatus: 'PENDING', replica: 'absent' }, T0 + 30 * MIN, false)!;
    const fresh = judge(
      PAIR,
      { key: 'k2', writtenAt: T0 + 29 * MIN },
      { sourceStatus: 'COMPLETED', replica: 'present' },
      T0 + 30 * MIN,
      true,
    )!;
    const other = { ...late, pair: { ...PAIR, destinationBucket: 'phi-archive' } };
    expect(newestPerPair([late, fresh, other])).toEqual([fresh, other]);
  });
});

describe('the state between runs', () => {
  const pending = (i: number, pairs = [pairId(PAIR)]): PendingCanary => ({
    key: canaryKey(T0 + i * 15 * MIN, `0000000${i % 10}`),
    writtenAt: T0 + i * 15 * MIN,
    pairs,
  });

  it('round-trips the pending canaries, newest first', () => {
    const { text, dropped } = encodeState([pending(0), pending(1)], T0 + 30 * MIN);
    expect(dropped).toEqual([]);
    expect(decodeState(text).pending).toEqual([pending(1), pending(0)]);
  });

  it('forgets canaries without pending pairs or older than a day, and keeps within the metadata limit', () => {
    const many = Array.from({ length: 200 }, (_, i) => pending(i));
    const { text, dropped } = encodeState([...many, pending(300, [])], T0 + 200 * 15 * MIN);
    expect(text.length).toBeLessThanOrEqual(MAX_STATE_BYTES);
    const kept = decodeState(text).pending;
    expect(kept.length).toBeGreaterThan(5);
    expect(kept[0]?.writtenAt).toBe(T0 + 199 * 15 * MIN);
    expect(kept.length + dropped.length).toBe(200);
  });

  it('is empty without a state object, and an unreadable one is reported, never trusted', () => {
    expect(decodeState(undefined)).toEqual({ pending: [] });
    expect(decodeState('{not json')).toMatchObject({
      pending: [],
      problem: expect.stringContaining('could not be read'),
    });
    expect(decodeState('{"v":2,"p":[]}').problem).toContain('unknown state version');
  });

  it('never yields a key outside the canary prefix', () => {
    const text = JSON.stringify({
      v: 1,
      p: [
        { k: '../patients/a.pdf', t: T0, r: ['x'] },
        { k: 'ok.txt', t: T0, r: ['x'] },
      ],
    });
    expect(decodeState(text).pending.map((c) => c.key)).toEqual(['replguard-canary/ok.txt']);
  });

  it('gives each pair a short stable id', () => {
    expect(pairId(PAIR)).toMatch(/^[0-9a-f]{10}$/);
    expect(pairId(PAIR)).toBe(pairId({ ...PAIR }));
    expect(pairId(PAIR)).not.toBe(pairId({ ...PAIR, destinationBucket: 'phi-archive' }));
  });
});
