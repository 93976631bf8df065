/** Failure modes of how the copies are protected: Object Lock, encryption at rest, TLS-only access. */
import { withoutStatements } from '../builder.js';
import { useSseS3 } from './helpers.js';
import { defineScenario, HEALTHY, pair, type ScenarioDefinition } from './types.js';

export const protectionScenarios: readonly ScenarioDefinition[] = [
  defineScenario({
    name: 'object-lock-missing-at-dst',
    description:
      'The source is under Object Lock but the DR bucket is not: DstBucketObjectLockConfigMissing on every object',
    kind: 'failure',
    build: pair({ objectLock: 'COMPLIANCE', destinationObjectLock: false }),
    expect: {
      nonCompliant: ['object_lock_destination_enabled'],
      mentions: { object_lock_destination_enabled: 'Object Lock' },
    },
  }),
  defineScenario({
    name: 'object-lock-mode-mismatch',
    description:
      'Source retention is COMPLIANCE mode, the DR copy only GOVERNANCE: replicas can be shortened or removed',
    kind: 'failure',
    build: pair({ objectLock: 'COMPLIANCE', destinationObjectLock: 'GOVERNANCE' }),
    expect: {
      nonCompliant: ['object_lock_mode_consistent'],
      mentions: { object_lock_mode_consistent: 'GOVERNANCE' },
    },
  }),
  defineScenario({
    name: 'destination-sse-s3',
    description: 'The DR bucket defaults to SSE-S3, not a KMS key the covered entity controls and audits',
    kind: 'failure',
    build: async (env, name) => {
      const path = await env.replicatedPair({ name, ...HEALTHY });
      await useSseS3(env, path.destination);
      return { buckets: [path.source.name], refs: { source: path.source.name } };
    },
    expect: { nonCompliant: ['encryption_at_rest_kms'], mentions: { encryption_at_rest_kms: 'SSE-S3' } },
  }),
  defineScenario({
    name: 'destination-no-tls-policy',
    description: 'The DR bucket policy does not deny plain-HTTP requests (aws:SecureTransport false)',
    kind: 'failure',
    build: pair({ destinationPolicy: (p) => withoutStatements(p, 'DenyInsecureTransport') }),
    expect: { nonCompliant: ['tls_only_policy'], mentions: { tls_only_policy: 'destination bucket' } },
  }),
];
