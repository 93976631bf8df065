import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  contentFingerprint,
  findingId,
  findingIdOf,
  findingKey,
  MAX_FINDING_ID_LENGTH,
  type FindingKey,
} from '../../../shared/findings/identity.js';
import { failing } from '../publish/fixtures.js';

const key: FindingKey = {
  accountId: '111111111111',
  region: 'us-east-1',
  bucket: 'phi-prod',
  destinationBucket: 'phi-dr',
  replicationRuleId: 'phi-to-dr',
  ruleId: 'versioning_destination_enabled',
};

describe('findingId', () => {
  it('is stable: the same key always gives the same id (a change here re-keys every finding in the field)', () => {
    expect(findingId({ ...key })).toBe(findingId(key));
    expect(findingId(key)).toBe(
      'replguard/versioning_destination_enabled/phi-prod/898e26cac411785ad110177ba3feed22',
    );
  });

  it.each<[string, Partial<FindingKey>]>([
    ['account', { accountId: '222222222222' }],
    ['Region', { region: 'us-west-2' }],
    ['source bucket', { bucket: 'phi-prod2' }],
    ['destination bucket', { destinationBucket: 'phi-dr2' }],
    ['no destination', { destinationBucket: null }],
    ['replication rule', { replicationRuleId: 'other-rule' }],
    ['ReplGuard rule', { ruleId: 'versioning_source_enabled' }],
    ['failure reason (variant)', { variant: 'DstKmsKeyInvalidState' }],
  ])('differs when the %s differs', (_what, change) => {
    expect(findingId({ ...key, ...change })).not.toBe(findingId(key));
  });

  it('does not collide when parts shift between fields', () => {
    const a = findingId({ ...key, destinationBucket: 'ab', replicationRuleId: 'c' });
    const b = findingId({ ...key, destinationBucket: 'a', replicationRuleId: 'bc' });
    expect(a).not.toBe(b);
  });

  it('stays within 255 characters (PagerDuty dedup_key) for the longest bucket and rule names', () => {
    const long = findingId({
      ...key,
      bucket: 'b'.repeat(63),
      destinationBucket: 'd'.repeat(63),
      ruleId: 'r'.repeat(64),
    });
    expect(long.length).toBeLessThanOrEqual(MAX_FINDING_ID_LENGTH);
    const absurd = findingId({ ...key, ruleId: 'r'.repeat(300) });
    expect(absurd).toMatch(/^replguard\/[0-9a-f]{32}$/);
  });

  it('keeps the six-part id when there is no variant', () => {
    expect(findingId({ ...key, variant: null })).toBe(findingId(key));
  });

  it('gives each replication failure reason of a runtime finding its own id', () => {
    const reason = (failureReason: string) =>
      failing({ ruleId: 'replication_operations_failing', details: { failureReason, count: 1 } });
    expect(findingIdOf(reason('DstKmsKeyInvalidState'))).not.toBe(findingIdOf(reason('SrcObjectNotFound')));
    expect(findingIdOf(reason('DstKmsKeyInvalidState'))).toBe(
      findingIdOf(
        failing({
          ruleId: 'replication_operations_failing',
          details: { failureReason: 'DstKmsKeyInvalidState', count: 9 },
        }),
      ),
    );
  });

  it('is the id of a result built from its key', () => {
    expect(findingIdOf(failing())).toBe(findingId(findingKey(failing())));
    expect(findingIdOf(failing({ message: 'another wording', severity: 'HIGH', status: 'UNKNOWN' }))).toBe(
      findingIdOf(failing()),
    );
  });
});

describe('contentFingerprint', () => {
  it('ignores key order in details but sees every value', () => {
    const a = failing({ details: { count: 1, lastSeen: 'x' } });
    const b = failing({ details: { lastSeen: 'x', count: 1 } });
    expect(contentFingerprint(a)).toBe(contentFingerprint(b));
    expect(contentFingerprint(failing({ details: { count: 2, lastSeen: 'x' } }))).not.toBe(
      contentFingerprint(a),
    );
  });

  it('canonical JSON sorts nested keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});
