import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import type { PolicyDocument } from '../../../shared/model/snapshot.js';
import { tlsOnlyPolicy } from '../../../shared/rules/tls_only_policy.js';
import {
  denied,
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  SRC_ACCOUNT,
  SRC_BUCKET,
  tlsOnlyStatement,
  variant,
} from '../../fixtures/snapshots.js';
import {
  addSecondDestination,
  ARCHIVE_BUCKET,
  type Case,
  mutable,
  outcomes,
  resultFor,
} from './secondDestination.js';

const deny = (change: Record<string, unknown>) => ({ ...tlsOnlyStatement(SRC_BUCKET), ...change });
const sourcePolicy =
  (...statements: Record<string, unknown>[]) =>
  (s: Parameters<Case[1]>[0]) =>
    void (s.source.policy = known({ Version: '2012-10-17', Statement: statements }));

describe('tls_only_policy', () => {
  it.each<Case>([
    ['the standard deny', () => {}, 'COMPLIANT', /DenyInsecureTransport/],
    [
      'a single statement object, not a list',
      (s) =>
        void (s.source.policy = known(
          mutable({ Statement: tlsOnlyStatement(SRC_BUCKET) } as PolicyDocument),
        )),
      'COMPLIANT',
    ],
    [
      'BoolIfExists with boolean false',
      sourcePolicy(deny({ Condition: { BoolIfExists: { 'aws:SecureTransport': false } } })),
      'COMPLIANT',
    ],
    [
      'a lower-case condition key and a value list',
      sourcePolicy(deny({ Condition: { Bool: { 'aws:securetransport': ['false'] } } })),
      'COMPLIANT',
    ],
    [
      'Principal {AWS: "*"} and Action "*"',
      sourcePolicy(deny({ Principal: { AWS: '*' }, Action: ['*'] })),
      'COMPLIANT',
    ],
    [
      'one wildcard resource for bucket and objects',
      sourcePolicy(deny({ Resource: `arn:aws:s3:::${SRC_BUCKET}*` })),
      'COMPLIANT',
    ],
    [
      'bucket and objects denied by two statements',
      sourcePolicy(
        deny({ Resource: `arn:aws:s3:::${SRC_BUCKET}` }),
        deny({ Sid: 'Objects', Resource: `arn:aws:s3:::${SRC_BUCKET}/*` }),
      ),
      'COMPLIANT',
    ],
    ['no bucket policy', (s) => void (s.source.policy = known(null)), 'NON_COMPLIANT', /no bucket policy/],
    [
      'only the objects denied',
      sourcePolicy(deny({ Resource: `arn:aws:s3:::${SRC_BUCKET}/*` })),
      'NON_COMPLIANT',
      /only on its objects/,
    ],
    [
      'only a prefix of the objects',
      sourcePolicy(deny({ Resource: [`arn:aws:s3:::${SRC_BUCKET}`, `arn:aws:s3:::${SRC_BUCKET}/phi/*`] })),
      'NON_COMPLIANT',
      /only on the bucket/,
    ],
    ['another bucket', sourcePolicy(tlsOnlyStatement('other-bucket')), 'NON_COMPLIANT'],
    ['an Allow instead of a Deny', sourcePolicy(deny({ Effect: 'Allow' })), 'NON_COMPLIANT'],
    [
      'aws:SecureTransport true',
      sourcePolicy(deny({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
      'NON_COMPLIANT',
    ],
    [
      'one principal only',
      sourcePolicy(deny({ Principal: { AWS: 'arn:aws:iam::111111111111:root' } })),
      'NON_COMPLIANT',
    ],
    ['some actions only', sourcePolicy(deny({ Action: ['s3:GetObject', 's3:PutObject'] })), 'NON_COMPLIANT'],
    [
      'an extra condition that narrows the deny',
      sourcePolicy(
        deny({
          Condition: {
            Bool: { 'aws:SecureTransport': 'false' },
            StringEquals: { 'aws:PrincipalAccount': '111111111111' },
          },
        }),
      ),
      'NON_COMPLIANT',
    ],
    [
      'an s3:TlsVersion deny alone',
      sourcePolicy(deny({ Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } })),
      'NON_COMPLIANT',
      /TlsVersion condition alone/,
    ],
    [
      'an unreadable policy',
      (s) => void (s.source.policy = denied('s3:GetBucketPolicy')),
      'UNKNOWN',
      /s3:GetBucketPolicy/,
    ],
  ])('source: %s → %s', (_name, change, status, message) => {
    const result = resultFor(tlsOnlyPolicy.evaluate(variant(change)), null);
    expect(result.status).toBe(status);
    if (message) expect(result.message).toMatch(message);
  });

  it('passes the TLS-version deny together with the SecureTransport deny', () => {
    const result = resultFor(
      tlsOnlyPolicy.evaluate(
        variant(
          sourcePolicy(
            deny({ Sid: 'Tls12', Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } }),
            deny({}),
          ),
        ),
      ),
      null,
    );
    expect(result.status).toBe('COMPLIANT');
  });

  it('adds the deny statement to the existing policy of a destination', () => {
    const results = tlsOnlyPolicy.evaluate(
      variant((s) => {
        const d = s.destinations[DST_ARN];
        if (d?.policy.known && d.policy.value) {
          const statements = d.policy.value.Statement as Record<string, unknown>[];
          d.policy = known({
            ...d.policy.value,
            Statement: statements.filter((st) => st.Sid !== 'DenyInsecureTransport'),
          });
        }
      }),
    );
    expect(outcomes(results)).toEqual([
      [null, null, 'COMPLIANT'],
      [DST_BUCKET, null, 'NON_COMPLIANT'],
    ]);
    const result = resultFor(results, DST_BUCKET);
    expect(result.remediation).toBe(
      'Add a statement denying every request to phi-dr and its objects without TLS, keeping the existing ones (with credentials of account 222222222222).',
    );
    expect(result.details).toEqual({ coversBucket: false, coversObjects: false });
    // Only the statement to add: keeping AllowReplication and the others is the fix planner's merge.
    expect(result.changes).toEqual([
      {
        kind: 'policy',
        holder: { kind: 'bucket-policy', bucket: DST_BUCKET, accountId: DST_ACCOUNT },
        add: [
          {
            Sid: 'ReplGuardDenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: ['arn:aws:s3:::phi-dr', 'arn:aws:s3:::phi-dr/*'],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    ]);
  });

  it('adds its own ReplGuardDenyInsecureTransport statement, covering bucket and objects, next to a flawed one', () => {
    const result = resultFor(
      tlsOnlyPolicy.evaluate(variant(sourcePolicy(deny({ Resource: `arn:aws:s3:::${SRC_BUCKET}/*` })))),
      null,
    );
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.message).toContain('only on its objects, not the bucket');
    expect(result.remediation).toBe(
      'Add a statement denying every request to phi-prod and its objects without TLS, keeping the existing ones.',
    );
    expect(result.details).toEqual({ coversBucket: false, coversObjects: true });
    // A Sid of its own; keeping Sids unique in the merged document is the fix planner's job.
    expect(result.changes).toEqual([
      {
        kind: 'policy',
        holder: { kind: 'bucket-policy', bucket: SRC_BUCKET, accountId: SRC_ACCOUNT },
        add: [
          {
            Sid: 'ReplGuardDenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: ['arn:aws:s3:::phi-prod', 'arn:aws:s3:::phi-prod/*'],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    ]);
  });

  it('accepts a second destination whose deny is split over a bucket and a wildcard statement', () => {
    const results = tlsOnlyPolicy.evaluate(variant(addSecondDestination));
    expect(resultFor(results, ARCHIVE_BUCKET).status).toBe('COMPLIANT');
    expect(results).toHaveLength(3);
  });
});
