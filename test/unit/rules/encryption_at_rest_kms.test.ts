import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import type { BucketEncryption } from '../../../shared/model/snapshot.js';
import { encryptionAtRestKms } from '../../../shared/rules/encryption_at_rest_kms.js';
import {
  denied,
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  DST_KEY_ARN,
  DST_REGION,
  firstRule,
  SRC_ACCOUNT,
  SRC_REGION,
  variant,
} from '../../fixtures/snapshots.js';
import {
  addSecondDestination,
  ARCHIVE_ARN,
  ARCHIVE_BUCKET,
  type Case,
  outcomes,
  resultFor,
  rulesOf,
} from './secondDestination.js';

const sse = (algorithm: string): BucketEncryption => ({ algorithm, bucketKeyEnabled: false });
const onDestination = (encryption: BucketEncryption | null) => (s: Parameters<Case[1]>[0]) => {
  const d = s.destinations[DST_ARN];
  if (d) d.encryption = known(encryption);
};

describe('encryption_at_rest_kms', () => {
  it('checks the source and each destination once', () => {
    expect(outcomes(encryptionAtRestKms.evaluate(variant(() => {})))).toEqual([
      [null, null, 'COMPLIANT'],
      [DST_BUCKET, null, 'COMPLIANT'],
    ]);
  });

  it.each<Case>([
    [
      'SSE-S3 source',
      (s) => void (s.source.encryption = known(sse('AES256'))),
      'NON_COMPLIANT',
      /source bucket phi-prod is SSE-S3/,
    ],
    [
      'unencrypted source',
      (s) => void (s.source.encryption = known(null)),
      'NON_COMPLIANT',
      /not default-encrypted/,
    ],
    [
      'DSSE-KMS source',
      (s) => void (s.source.encryption = known(sse('aws:kms:dsse'))),
      'COMPLIANT',
      /DSSE-KMS/,
    ],
    [
      'SSE-KMS source with the AWS managed key',
      (s) => void (s.source.encryption = known(sse('aws:kms'))),
      'COMPLIANT',
      /aws\/s3/,
    ],
    [
      'unreadable source encryption',
      (s) => void (s.source.encryption = denied('s3:GetEncryptionConfiguration')),
      'UNKNOWN',
      /s3:GetEncryptionConfiguration/,
    ],
  ])('%s → %s', (_name, change, status, message) => {
    const result = resultFor(encryptionAtRestKms.evaluate(variant(change)), null);
    expect(result.status).toBe(status);
    if (message) expect(result.message).toMatch(message);
  });

  it.each<Case>([
    [
      'SSE-S3 destination',
      onDestination(sse('AES256')),
      'NON_COMPLIANT',
      /destination bucket phi-dr \(account 222222222222\) is SSE-S3/,
    ],
    [
      'unreadable destination encryption',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.encryption = denied('s3:GetEncryptionConfiguration');
      },
      'UNKNOWN',
    ],
    [
      'missing destination',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.exists = known(false);
      },
      'NOT_APPLICABLE',
    ],
    [
      'unreachable destination account',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.exists = denied('sts:AssumeRole');
      },
      'UNKNOWN',
      /sts:AssumeRole/,
    ],
    ['destination not collected', (s) => void delete s.destinations[DST_ARN], 'NOT_APPLICABLE'],
  ])('%s → %s', (_name, change, status, message) => {
    const result = resultFor(encryptionAtRestKms.evaluate(variant(change)), DST_BUCKET);
    expect(result.status).toBe(status);
    if (message) expect(result.message).toMatch(message);
  });

  it("puts the rule's replica key into the destination's fix, in its account", () => {
    const result = resultFor(encryptionAtRestKms.evaluate(variant(onDestination(sse('AES256')))), DST_BUCKET);
    expect(result.remediation).toContain(
      `Default-encrypt phi-dr with SSE-KMS under ${DST_KEY_ARN} (with credentials of account 222222222222).`,
    );
    expect(result.remediation).toContain('kms:Encrypt and kms:GenerateDataKey');
    expect(result.changes).toEqual([
      {
        kind: 'encryption',
        bucket: DST_BUCKET,
        accountId: DST_ACCOUNT,
        region: DST_REGION,
        keyId: DST_KEY_ARN,
        bucketKey: true,
      },
    ]);
  });

  it('creates a customer managed key for a destination whose rule names no replica key', () => {
    const result = resultFor(
      encryptionAtRestKms.evaluate(
        variant((s) => {
          onDestination(null)(s);
          delete firstRule(s).destination.replicaKmsKeyId;
        }),
      ),
      DST_BUCKET,
    );
    const alias = `arn:aws:kms:${DST_REGION}:${DST_ACCOUNT}:alias/replguard/phi-dr`;
    expect(result.remediation).toContain(`Default-encrypt phi-dr with SSE-KMS under ${alias}`);
    expect(result.changes).toEqual([
      {
        kind: 'create-key',
        alias: 'alias/replguard/phi-dr',
        accountId: DST_ACCOUNT,
        region: DST_REGION,
        description: 'ReplGuard: SSE-KMS key of S3 bucket phi-dr',
      },
      {
        kind: 'encryption',
        bucket: DST_BUCKET,
        accountId: DST_ACCOUNT,
        region: DST_REGION,
        keyId: alias,
        bucketKey: true,
      },
    ]);
  });

  it('warns that switching the source needs KMS replication first, and creates its key', () => {
    const result = resultFor(
      encryptionAtRestKms.evaluate(variant((s) => void (s.source.encryption = known(null)))),
      null,
    );
    const alias = `arn:aws:kms:${SRC_REGION}:${SRC_ACCOUNT}:alias/replguard/phi-prod`;
    expect(result.remediation).toContain(`Default-encrypt phi-prod with SSE-KMS under ${alias}.`);
    expect(result.remediation).toContain('SseKmsEncryptedObjects');
    expect(result.remediation).toContain('kms:Decrypt');
    expect(result.changes).toEqual([
      {
        kind: 'create-key',
        alias: 'alias/replguard/phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        description: 'ReplGuard: SSE-KMS key of S3 bucket phi-prod',
      },
      {
        kind: 'encryption',
        bucket: 'phi-prod',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        keyId: alias,
        bucketKey: true,
      },
    ]);
  });

  it('checks the source even without replication, and an unreadable configuration leaves destinations UNKNOWN', () => {
    expect(
      outcomes(encryptionAtRestKms.evaluate(variant((s) => void (s.source.replication = known(null))))),
    ).toEqual([[null, null, 'COMPLIANT']]);
    expect(
      outcomes(
        encryptionAtRestKms.evaluate(
          variant((s) => void (s.source.replication = denied('s3:GetReplicationConfiguration'))),
        ),
      ),
    ).toEqual([
      [null, null, 'COMPLIANT'],
      [null, null, 'UNKNOWN'],
    ]);
  });

  it('checks a destination shared by two rules once, and skips destinations of disabled rules', () => {
    const shared = encryptionAtRestKms.evaluate(
      variant((s) => {
        addSecondDestination(s);
        const archive = rulesOf(s)[1];
        if (archive) Object.assign(archive.destination, { bucket: DST_BUCKET, bucketArn: DST_ARN });
      }),
    );
    expect(shared).toHaveLength(2);
    const disabled = encryptionAtRestKms.evaluate(
      variant((s) => {
        addSecondDestination(s);
        const d = s.destinations[ARCHIVE_ARN];
        if (d) d.encryption = known(null);
        const archive = rulesOf(s)[1];
        if (archive) archive.status = 'Disabled';
      }),
    );
    expect(disabled.map((r) => r.destinationBucket)).not.toContain(ARCHIVE_BUCKET);
  });
});
