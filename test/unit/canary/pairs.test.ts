import { describe, expect, it } from 'vitest';
import {
  CANARY_BODY,
  CANARY_LIFECYCLE_RULE,
  canaryExpiry,
  canaryPairs,
  defaultRetentionDays,
  isOptedIn,
  notCovering,
  thresholdMinutes,
} from '../../../shared/canary/pairs.js';
import type { LifecycleRuleInfo } from '../../../shared/model/lifecycle.js';
import type { ReplicationRule } from '../../../shared/model/snapshot.js';

const SOURCE = { bucket: 'phi-prod', accountId: '111111111111', region: 'us-east-1' };

const rule = (
  over: Omit<Partial<ReplicationRule>, 'destination'> & {
    destination?: Partial<ReplicationRule['destination']>;
  } = {},
) =>
  ({
    id: 'to-dr',
    status: 'Enabled',
    filter: { prefix: '' },
    ...over,
    destination: { bucket: 'phi-dr', bucketArn: 'arn:aws:s3:::phi-dr', ...over.destination },
  }) as ReplicationRule;

describe('isOptedIn', () => {
  it.each([
    [{ 'replguard:canary': 'true' }, true],
    [{ 'replguard:canary': 'TRUE ' }, true],
    [{ 'replguard:canary': 'false' }, false],
    [{ DataClassification: 'PHI' }, false],
  ])('%j → %s', (tags, expected) => {
    expect(isOptedIn(tags)).toBe(expected);
  });
});

describe('which rules carry canaries', () => {
  it.each([
    ['an enabled rule with no prefix', rule(), undefined],
    ['a prefix that replguard-canary/ starts with', rule({ filter: { prefix: 'replguard' } }), undefined],
    ['the prefix itself', rule({ filter: { prefix: 'replguard-canary/' } }), undefined],
    ['a disabled rule', rule({ status: 'Disabled' }), 'the rule is disabled'],
    ['another prefix', rule({ filter: { prefix: 'patients/' } }), 'does not cover replguard-canary/'],
    [
      'a tag filter',
      rule({ filter: { prefix: '', tags: [{ key: 'DataClassification', value: 'PHI' }] } }),
      'filters on object tags',
    ],
  ])('%s', (_name, r, reason) => {
    const why = notCovering(r);
    if (reason === undefined) expect(why).toBeUndefined();
    else expect(why).toContain(reason);
  });

  it('makes one pair per destination, through the highest-priority covering rule, with its owner account', () => {
    const { pairs, uncovered } = canaryPairs(SOURCE, {
      role: 'arn:aws:iam::111111111111:role/r',
      rules: [
        rule({ id: 'low', priority: 1 }),
        rule({ id: 'high', priority: 5 }),
        rule({ id: 'other', priority: 2, destination: { bucket: 'phi-archive', account: '333333333333' } }),
        rule({ id: 'off', priority: 9, status: 'Disabled' }),
      ],
    });
    expect(pairs.map((p) => [p.replicationRuleId, p.destinationBucket, p.destinationAccountId])).toEqual([
      ['high', 'phi-dr', '111111111111'],
      ['other', 'phi-archive', '333333333333'],
    ]);
    expect(uncovered).toEqual([{ replicationRuleId: 'off', reason: 'the rule is disabled' }]);
  });
});

describe('thresholdMinutes', () => {
  it('is 15 minutes without RTC and the RTC threshold with it', () => {
    expect(thresholdMinutes(rule())).toBe(15);
    expect(
      thresholdMinutes(rule({ destination: { replicationTime: { status: 'Disabled', minutes: 5 } } })),
    ).toBe(15);
    expect(
      thresholdMinutes(rule({ destination: { replicationTime: { status: 'Enabled', minutes: 10 } } })),
    ).toBe(10);
    const [pair] = canaryPairs(SOURCE, {
      role: 'r',
      rules: [rule({ destination: { replicationTime: { status: 'Enabled', minutes: 15 } } })],
    }).pairs;
    expect(pair).toMatchObject({ thresholdMinutes: 15, rtc: true });
  });
});

describe('defaultRetentionDays', () => {
  it.each([
    [null, 0],
    [{ enabled: false, defaultRetention: { mode: 'COMPLIANCE' as const, days: 30 } }, 0],
    [{ enabled: true }, 0],
    [{ enabled: true, defaultRetention: { mode: 'GOVERNANCE' as const, days: 1 } }, 1],
    [{ enabled: true, defaultRetention: { mode: 'COMPLIANCE' as const, years: 7 } }, 2555],
  ])('%j → %d days', (lock, days) => {
    expect(defaultRetentionDays(lock)).toBe(days);
  });
});

describe('canaryExpiry', () => {
  const lifecycle = (over: Partial<LifecycleRuleInfo> = {}): LifecycleRuleInfo => ({
    enabled: true,
    prefix: 'replguard-canary/',
    tagFiltered: false,
    expiresCurrent: true,
    noncurrentDays: 1,
    ...over,
  });

  it.each([
    ['no lifecycle configuration', null, 'missing'],
    ['the documented rule', [lifecycle()], 'complete'],
    ['a whole-bucket rule', [lifecycle({ prefix: '' })], 'complete'],
    ['current versions only', [lifecycle({ noncurrentDays: undefined })], 'current-only'],
    [
      'split over two rules',
      [lifecycle({ noncurrentDays: undefined }), lifecycle({ expiresCurrent: false })],
      'complete',
    ],
    ['a disabled rule', [lifecycle({ enabled: false })], 'missing'],
    ['another prefix', [lifecycle({ prefix: 'logs/' })], 'missing'],
    ['a tag filter', [lifecycle({ tagFiltered: true })], 'missing'],
    ['only larger objects', [lifecycle({ objectSizeGreaterThan: 1024 })], 'missing'],
    ['only smaller objects', [lifecycle({ objectSizeLessThan: 10 })], 'missing'],
    [
      'a size range holding the canary',
      [lifecycle({ objectSizeGreaterThan: 1, objectSizeLessThan: 4096 })],
      'complete',
    ],
  ] as const)('%s → %s', (_name, rules, expected) => {
    expect(canaryExpiry(rules as readonly LifecycleRuleInfo[] | null)).toBe(expected);
  });

  it('documents a rule that expires every version of the canaries', () => {
    expect(CANARY_LIFECYCLE_RULE).toMatchObject({
      Filter: { Prefix: 'replguard-canary/' },
      Expiration: { Days: 1 },
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
    });
    expect(Buffer.byteLength(CANARY_BODY)).toBeLessThan(4096);
    expect(CANARY_BODY).toMatch(/no patient data/);
  });
});
