import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import type { KeyInfo } from '../../../shared/model/snapshot.js';
import { kmsReplicaKeyConfigured } from '../../../shared/rules/kms_replica_key_configured.js';
import {
  denied,
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  DST_KEY_ARN,
  DST_REGION,
  firstRule,
  type MutableSnapshot,
  RULE_ID,
  SRC_ACCOUNT,
  SRC_REGION,
  variant,
} from '../../fixtures/snapshots.js';
import {
  addSecondDestination,
  ARCHIVE_BUCKET,
  ARCHIVE_KEY_ARN,
  ARCHIVE_KEY_ID,
  ARCHIVE_RULE,
  type Case,
  outcomes,
  resultFor,
  rulesOf,
} from './secondDestination.js';

const DST_KEY_ID = '2222bbbb-0000-4000-8000-000000000002';
const DST_ALIAS_ARN = `arn:aws:kms:${DST_REGION}:${DST_ACCOUNT}:alias/phi-dr`;

const dstKey = (s: MutableSnapshot) => {
  const k = s.keys[DST_KEY_ARN];
  if (!k?.known || !k.value) throw new Error('fixture');
  return k.value as { -readonly [K in keyof KeyInfo]: KeyInfo[K] };
};

describe('kms_replica_key_configured', () => {
  it.each<Case>([
    [
      'an Enabled customer managed key in the destination Region',
      () => {},
      'COMPLIANT',
      /Enabled, customer managed, in us-west-2/,
    ],
    [
      'a key given by alias ARN',
      (s) => {
        firstRule(s).destination.replicaKmsKeyId = DST_ALIAS_ARN;
        s.keys[DST_ALIAS_ARN] = s.keys[DST_KEY_ARN] ?? denied('kms:DescribeKey');
      },
      'COMPLIANT',
    ],
    [
      'a key given by bare key id',
      (s) => void (firstRule(s).destination.replicaKmsKeyId = DST_KEY_ID),
      'COMPLIANT',
    ],
    [
      'no ReplicaKmsKeyID',
      (s) => void delete firstRule(s).destination.replicaKmsKeyId,
      'NON_COMPLIANT',
      /names no ReplicaKmsKeyID/,
    ],
    [
      'a deleted key',
      (s) => void (s.keys[DST_KEY_ARN] = known(null)),
      'NON_COMPLIANT',
      /does not exist.*DstKmsKeyNotFound/,
    ],
    [
      'a Disabled key',
      (s) => void (dstKey(s).state = 'Disabled'),
      'NON_COMPLIANT',
      /is Disabled.*DstKmsKeyInvalidState/,
    ],
    [
      'a key pending deletion',
      (s) => void (dstKey(s).state = 'PendingDeletion'),
      'NON_COMPLIANT',
      /PendingDeletion/,
    ],
    [
      'a key in another Region than the destination',
      (s) => void (dstKey(s).region = 'eu-central-1'),
      'NON_COMPLIANT',
      /is in eu-central-1.*us-west-2/,
    ],
    [
      'an AWS managed key for a cross-account destination',
      (s) => void (dstKey(s).manager = 'AWS'),
      'NON_COMPLIANT',
      /AWS managed.*cannot be shared/,
    ],
    [
      'an AWS managed key for a same-account destination',
      (s) => {
        dstKey(s).manager = 'AWS';
        const d = s.destinations[DST_ARN];
        if (d) d.accountId = SRC_ACCOUNT;
        delete firstRule(s).destination.account;
      },
      'COMPLIANT',
      /AWS managed/,
    ],
    [
      'an unreadable key',
      (s) => void (s.keys[DST_KEY_ARN] = denied('kms:DescribeKey')),
      'UNKNOWN',
      /kms:DescribeKey/,
    ],
    ['a key that was not collected', (s) => void delete s.keys[DST_KEY_ARN], 'UNKNOWN', /was not read/],
    ['a rule without KMS objects', (s) => void delete firstRule(s).sseKmsEncryptedObjects, 'NOT_APPLICABLE'],
    [
      'an unreadable destination Region',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.region = denied('s3:GetBucketLocation');
      },
      'UNKNOWN',
    ],
    ['no replication', (s) => void (s.source.replication = known(null)), 'NOT_APPLICABLE'],
  ])('%s → %s', (_name, change, status, message) => {
    const [result, ...rest] = kmsReplicaKeyConfigured.evaluate(variant(change));
    expect(rest).toHaveLength(0);
    expect(result?.status).toBe(status);
    if (message) expect(result?.message).toMatch(message);
  });

  it.each([
    ['Disabled', 'Re-enable the key (account 222222222222)'],
    ['PendingDeletion', 'Cancel the deletion of the key and enable it (account 222222222222)'],
  ])('asks to bring a %s key back to Enabled', (state, prose) => {
    const [result] = kmsReplicaKeyConfigured.evaluate(variant((s) => void (dstKey(s).state = state)));
    expect(result).toMatchObject({ destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    expect(result?.remediation).toContain(prose);
    expect(result?.remediation).toContain('S3 Batch Replication');
    expect(result?.changes).toEqual([
      { kind: 'key-state', keyArn: DST_KEY_ARN, accountId: DST_ACCOUNT, region: DST_REGION, from: state },
    ]);
    expect(result?.resources).toEqual([{ type: 'AwsKmsKey', id: DST_KEY_ARN }]);
  });

  it("points a rule without a key at the destination's default key", () => {
    const [result] = kmsReplicaKeyConfigured.evaluate(
      variant((s) => void delete firstRule(s).destination.replicaKmsKeyId),
    );
    expect(result?.remediation).toContain(
      `point rule ${RULE_ID} at ${DST_KEY_ARN}, the destination's default key`,
    );
    expect(result?.changes).toEqual([
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        patches: [{ ruleId: RULE_ID, replicaKmsKeyId: DST_KEY_ARN }],
      },
    ]);
  });

  it('creates a key in the destination account and Region when the default key is the one failing', () => {
    const [result] = kmsReplicaKeyConfigured.evaluate(
      variant((s) => void (dstKey(s).region = 'eu-central-1')),
    );
    const alias = `arn:aws:kms:${DST_REGION}:${DST_ACCOUNT}:alias/replguard/phi-dr`;
    expect(result?.remediation).toContain(
      `point rule ${RULE_ID} at a new customer managed key in account ${DST_ACCOUNT}, ${DST_REGION} (alias/replguard/phi-dr)`,
    );
    expect(result?.changes).toEqual([
      {
        kind: 'create-key',
        alias: 'alias/replguard/phi-dr',
        accountId: DST_ACCOUNT,
        region: DST_REGION,
        description: 'ReplGuard: SSE-KMS key of S3 bucket phi-dr',
      },
      {
        kind: 'replication',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        patches: [{ ruleId: RULE_ID, replicaKmsKeyId: alias }],
      },
    ]);
  });

  it('resolves a bare key id in the Region of the destination, not of the source', () => {
    const results = kmsReplicaKeyConfigured.evaluate(
      variant((s) => {
        addSecondDestination(s);
        const archive = rulesOf(s)[1];
        if (archive) archive.destination.replicaKmsKeyId = ARCHIVE_KEY_ID;
      }),
    );
    expect(resultFor(results, ARCHIVE_BUCKET).status).toBe('COMPLIANT');
    expect(resultFor(results, ARCHIVE_BUCKET).message).toContain(ARCHIVE_KEY_ARN);
  });

  it('judges the alias-ARN key of a second destination separately', () => {
    const results = kmsReplicaKeyConfigured.evaluate(
      variant((s) => {
        addSecondDestination(s);
        dstKey(s).state = 'Disabled';
      }),
    );
    expect(outcomes(results)).toEqual([
      [DST_BUCKET, RULE_ID, 'NON_COMPLIANT'],
      [ARCHIVE_BUCKET, ARCHIVE_RULE, 'COMPLIANT'],
    ]);
  });
});
