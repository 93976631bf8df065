/**
 * Healthy setups, and near-misses that naive checkers get wrong: every one must produce no NON_COMPLIANT
 * and no UNKNOWN result, and the rules the near-miss is about must say COMPLIANT (not just stay silent).
 */
import type { RuleResult } from '../../../shared/rules/types.js';
import type { Scenario } from '../builder.js';
import { keyPolicy, tlsOnlyPolicy } from '../builder/policies.js';
import { putTags, withStatement, withWildcards } from './helpers.js';
import { defineScenario, HEALTHY, pair, type ScanTarget, type ScenarioDefinition } from './types.js';

/** Problems unless `ruleId` has a COMPLIANT result for each replication rule id in `ids`. */
const compliantPerRule = (results: readonly RuleResult[], ruleId: string, ids: readonly string[]): string[] =>
  ids
    .filter(
      (id) =>
        !results.some((r) => r.ruleId === ruleId && r.replicationRuleId === id && r.status === 'COMPLIANT'),
    )
    .map((id) => `${ruleId} is not COMPLIANT for replication rule ${id}`);

const WILDCARDS = {
  's3:GetReplicationConfiguration': 's3:Get*',
  's3:GetObjectVersionForReplication': 's3:Get*',
  's3:GetObjectVersionAcl': 's3:Get*',
  's3:GetObjectVersionTagging': 's3:Get*',
  's3:ListBucket': 's3:List*',
  's3:ReplicateObject': 's3:Replicate*',
  's3:ReplicateDelete': 's3:Replicate*',
  's3:ReplicateTags': 's3:Replicate*',
} as const;

const PREFIX_RULES = ['imaging', 'labs', 'consents-long'] as const;

/** One source, four rules to one destination: prefixes, a prefix-and-tag rule, priorities, a catch-all. */
const prefixRules = async (env: Scenario, name: string): Promise<ScanTarget> => {
  const path = await env.replicatedPair({ name, ...HEALTHY });
  const common = { destination: path.destination, replicaKey: path.replicaKeyRef ?? '', metrics: true };
  await env.replication(path.source, {
    role: path.role,
    rules: [
      { id: 'imaging', prefix: 'imaging/', priority: 30, ...common },
      { id: 'labs', prefix: 'labs/', priority: 20, ...common },
      // S3 refuses delete-marker replication on rules that filter by tag
      {
        id: 'consents-long',
        prefix: 'consents/',
        tags: { Retention: 'long' },
        deleteMarkers: false,
        priority: 10,
        ...common,
      },
      { id: path.ruleId, prefix: '', priority: 1, ...common },
    ],
  });
  await Promise.all(
    PREFIX_RULES.map((id) =>
      env.alarm({
        name: `${name}-${id}-pending`,
        source: path.source.name,
        destination: path.destination.name,
        ruleId: id,
        actions: path.topicArn ? [path.topicArn] : [],
      }),
    ),
  );
  return {
    buckets: [path.source.name],
    refs: { source: path.source.name, rules: [...PREFIX_RULES, path.ruleId].join(',') },
  };
};

/** A cross-account, cross-Region DR copy plus a same-account, same-Region copy of the same objects. */
const twoDestinations = async (env: Scenario, name: string): Promise<ScanTarget> => {
  const localName = env.uniqueName(`${name}-local`);
  const localKey = await env.key({ alias: `${name}-local`, policy: keyPolicy(env.home) });
  const local = await env.bucket({
    name: `${name}-local`,
    encryption: { algorithm: 'aws:kms', key: localKey },
    policy: tlsOnlyPolicy(localName),
  });
  const path = await env.replicatedPair({
    name,
    ...HEALTHY,
    rolePolicy: (p) =>
      withStatement(
        withStatement(p, {
          Effect: 'Allow',
          Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
          Resource: `${local.arn}/*`,
        }),
        {
          Effect: 'Allow',
          Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: localKey.arn,
          Condition: {
            StringLike: {
              'kms:ViaService': `s3.${env.region}.amazonaws.com`,
              'kms:EncryptionContext:aws:s3:arn': `${local.arn}/*`,
            },
          },
        },
      ),
  });
  await env.replication(path.source, {
    role: path.role,
    rules: [
      {
        id: path.ruleId,
        destination: path.destination,
        replicaKey: path.replicaKeyRef ?? '',
        metrics: true,
        priority: 2,
      },
      { id: 'local-copy', destination: local, replicaKey: localKey.arn, metrics: true, priority: 1 },
    ],
  });
  await env.alarm({
    name: `${name}-local-pending`,
    source: path.source.name,
    destination: local.name,
    ruleId: 'local-copy',
    actions: path.topicArn ? [path.topicArn] : [],
  });
  return {
    buckets: [path.source.name],
    refs: { source: path.source.name, local: local.name, dr: path.ruleId },
  };
};

export const healthyScenarios: readonly ScenarioDefinition[] = [
  defineScenario({
    name: 'healthy-full',
    description:
      'Cross-account, cross-Region SSE-KMS replication with Object Lock, RTC, a backlog alarm, failure events and data events (requireRtc on)',
    kind: 'healthy',
    parameters: { requireRtc: true },
    build: pair({ objectLock: 'COMPLIANCE', rtc: true }),
    expect: { nonCompliant: [], compliant: 'all' },
  }),
  defineScenario({
    name: 'nm-wildcard-actions',
    description:
      'Role and destination bucket policies grant s3:Get*, s3:List* and s3:Replicate* instead of each action',
    kind: 'near-miss',
    build: pair({
      rolePolicy: (p) => withWildcards(p, WILDCARDS),
      destinationPolicy: (p) => withWildcards(p, WILDCARDS),
    }),
    expect: {
      nonCompliant: [],
      compliant: [
        'role_source_permissions',
        'role_destination_permissions',
        'destination_policy_allows_role',
      ],
    },
  }),
  defineScenario({
    name: 'nm-root-delegated-keys',
    description:
      'Same-account replication whose KMS key policies only delegate to IAM through the account root',
    kind: 'near-miss',
    build: pair({ crossAccount: false }),
    expect: {
      nonCompliant: [],
      compliant: [
        'kms_source_decrypt_allowed',
        'kms_destination_encrypt_allowed',
        'destination_policy_allows_role',
      ],
    },
  }),
  defineScenario({
    name: 'nm-replica-key-alias-arn',
    description: 'Cross-account rule names its replica key by alias ARN instead of key ARN',
    kind: 'near-miss',
    build: pair({ replicaKeyRef: 'alias-arn' }),
    expect: {
      nonCompliant: [],
      compliant: ['kms_replica_key_configured', 'kms_destination_encrypt_allowed'],
    },
  }),
  defineScenario({
    name: 'nm-replica-key-id',
    description: 'Same-account rule names its replica key by bare key id instead of key ARN',
    kind: 'near-miss',
    build: pair({ crossAccount: false, replicaKeyRef: 'id' }),
    expect: {
      nonCompliant: [],
      compliant: ['kms_replica_key_configured', 'kms_destination_encrypt_allowed'],
    },
  }),
  defineScenario({
    name: 'nm-prefix-rules',
    description:
      'Four rules with prefixes, a prefix-and-tag filter and priorities, each with its own backlog alarm',
    kind: 'near-miss',
    build: prefixRules,
    expect: {
      nonCompliant: [],
      compliant: ['role_destination_permissions', 'pending_replication_alarm', 'replication_metrics_enabled'],
    },
    verify: (results, target) => {
      const ids = (target.refs?.rules ?? '').split(',');
      return [
        ...(ids.length === 4 ? [] : [`expected 4 replication rules, got ${ids.join(',')}`]),
        ...compliantPerRule(results, 'pending_replication_alarm', ids),
        ...compliantPerRule(results, 'role_destination_permissions', ids),
      ];
    },
  }),
  defineScenario({
    name: 'nm-two-destinations',
    description:
      'A cross-Region DR copy plus a same-Region copy of the same objects (covered by the DR rule)',
    kind: 'near-miss',
    build: twoDestinations,
    expect: {
      nonCompliant: [],
      compliant: ['replication_cross_region', 'encryption_at_rest_kms', 'tls_only_policy'],
    },
    verify: (results, target) => {
      const local = results.find(
        (r) => r.ruleId === 'replication_cross_region' && r.replicationRuleId === 'local-copy',
      );
      const destinations = new Set(results.map((r) => r.destinationBucket).filter(Boolean));
      return [
        ...(local?.status === 'COMPLIANT' && local.details?.coveredBy === target.refs?.dr
          ? []
          : [
              `the same-Region rule should be covered by ${target.refs?.dr}: ${local?.status} ${local?.message}`,
            ]),
        ...(destinations.size === 2
          ? []
          : [`expected results for 2 destinations, got ${[...destinations].join(', ')}`]),
      ];
    },
  }),
  defineScenario({
    name: 'nm-replica-only-tagged',
    description:
      'A PHI-tagged bucket that is only a replica destination is not failed for lacking replication (S3.7 is)',
    kind: 'near-miss',
    build: async (env, name) => {
      const path = await env.replicatedPair({ name, ...HEALTHY, crossAccount: false });
      await putTags(env, path.destination, { DataClassification: 'PHI' });
      return { all: true, refs: { source: path.source.name, destination: path.destination.name } };
    },
    expect: { nonCompliant: [], compliant: ['replication_configured', 'versioning_source_enabled'] },
    verify: (results, target) => {
      const replica = results.filter(
        (r) => r.bucket === target.refs?.destination && r.ruleId === 'replication_configured',
      );
      return replica.length === 1 && replica[0]?.status === 'NOT_APPLICABLE'
        ? []
        : [
            `replication_configured on replica ${target.refs?.destination}: ${replica.map((r) => r.status).join(',') || 'not scanned'}`,
          ];
    },
  }),
];
