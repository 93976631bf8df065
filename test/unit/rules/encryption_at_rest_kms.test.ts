import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import type { BucketEncryption } from '../../../shared/model/snapshot.js';
import { encryptionAtRestKms } from '../../../shared/rules/encryption_at_rest_kms.js';
import { denied, DST_ARN, DST_BUCKET, DST_KEY_ARN, variant } from '../../fixtures/snapshots.js';
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
      `aws s3api put-bucket-encryption --bucket phi-dr --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"${DST_KEY_ARN}"},"BucketKeyEnabled":true}]}'`,
    );
    expect(result.remediation).toContain('account 222222222222');
  });

  it('warns that switching the source needs KMS replication first', () => {
    const result = resultFor(
      encryptionAtRestKms.evaluate(variant((s) => void (s.source.encryption = known(null)))),
      null,
    );
    expect(result.remediation).toContain('SseKmsEncryptedObjects');
    expect(result.remediation).toContain('arn:aws:kms:us-east-1:111111111111:key/<key-id>');
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
