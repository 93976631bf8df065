import { bucketsToCheck, describeBucket } from './lib/buckets.js';
import { tlsCoverage, tlsDenyStatement } from './lib/tlsPolicy.js';
import { need, resultsFor } from './result.js';
import { defineRule, Hipaa } from './types.js';

/** PHI must not travel in clear text: each bucket's policy denies every request made without TLS. */
export const tlsOnlyPolicy = defineRule({
  id: 'tls_only_policy',
  title: 'Source and destination bucket policies deny requests without TLS',
  problem: 'bucket policy allows requests without TLS',
  severity: 'HIGH',
  hipaa: [Hipaa.TransmissionSecurity],
  remediation: {
    text: 'Add a Deny statement for all principals and s3:* on the bucket and its objects when aws:SecureTransport is false.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html',
  },
  permissions: ['s3:GetBucketPolicy', 's3:GetReplicationConfiguration'],
  evaluate(snapshot) {
    const results = resultsFor(tlsOnlyPolicy, snapshot);
    const { buckets, skipped } = bucketsToCheck(snapshot, results);
    return [
      ...buckets.map((bucket) => {
        const what = describeBucket(bucket);
        const policy = need(bucket.policy, `the bucket policy of ${bucket.name}`, results, bucket.scope);
        if (!policy.ok) return policy.result;
        const coverage = tlsCoverage(
          policy.value,
          bucket.name,
          bucket.region.known ? bucket.region.value : snapshot.source.region,
        );
        if (coverage.bucket && coverage.objects)
          return results.compliant(
            `The policy of the ${what} denies requests without TLS (statement ${coverage.statements.join(', ')}).`,
            bucket.scope,
          );
        const gap = !policy.value
          ? 'has no bucket policy, so requests over plain HTTP are accepted'
          : coverage.bucket || coverage.objects
            ? `denies requests without TLS only on ${coverage.bucket ? 'the bucket, not its objects' : 'its objects, not the bucket'}`
            : 'has no statement denying every request with aws:SecureTransport false (an s3:TlsVersion condition alone still lets plain HTTP through)';
        return results.nonCompliant(
          `The ${what} ${gap}.`,
          `Add a statement denying every request to ${bucket.name} and its objects without TLS, keeping the existing ones${
            bucket.kind === 'destination' ? ` (with credentials of account ${bucket.accountId})` : ''
          }.`,
          {
            ...bucket.scope,
            details: { coversBucket: coverage.bucket, coversObjects: coverage.objects },
            changes: [
              {
                kind: 'policy',
                holder: { kind: 'bucket-policy', bucket: bucket.name, accountId: bucket.accountId },
                add: [
                  tlsDenyStatement(
                    bucket.name,
                    'ReplGuardDenyInsecureTransport',
                    bucket.region.known ? bucket.region.value : snapshot.source.region,
                  ),
                ],
              },
            ],
          },
        );
      }),
      ...skipped,
    ];
  },
});
