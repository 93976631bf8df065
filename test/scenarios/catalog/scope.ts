/**
 * Scope decided the same way for every caller (shared/scope): a bucket whose scope facts cannot be read is
 * kept and reported UNKNOWN, never dropped; a bucket named with `--bucket` that only receives replicas is
 * recognised by the same evidence the functions use (a source replicating into it, or a bucket policy that
 * lets a replication role write into it) and not failed for lacking replication of its own.
 */
import type { RuleResult } from '../../../shared/rules/types.js';
import { keyPolicy, tlsOnlyPolicy } from '../builder/policies.js';
import { putTags } from './helpers.js';
import { defineScenario, HEALTHY, type ScenarioDefinition, type ScanTarget } from './types.js';

/** Problems unless the replica's replication_configured result is exactly NOT_APPLICABLE (replica only). */
const replicaNotFailed = (results: readonly RuleResult[], target: ScanTarget): string[] => {
  const replica = results.filter(
    (r) => r.bucket === target.refs?.destination && r.ruleId === 'replication_configured',
  );
  return replica.length === 1 &&
    replica[0]?.status === 'NOT_APPLICABLE' &&
    /only a replica destination/.test(replica[0].message)
    ? []
    : [
        `replication_configured on replica ${target.refs?.destination}: ${replica.map((r) => `${r.status} ${r.message}`).join(',') || 'not scanned'}`,
      ];
};

export const scopeScenarios: readonly ScenarioDefinition[] = [
  defineScenario({
    name: 'scope-tags-unreadable',
    description:
      'scan --all cannot read the tags that put an unreplicated PHI bucket in scope: UNKNOWN, never dropped',
    kind: 'access',
    build: async (env, name) => {
      const key = await env.key({ alias: `${name}-key`, policy: keyPolicy(env.home) });
      const bucket = await env.bucket({
        name,
        encryption: { algorithm: 'aws:kms', key },
        policy: tlsOnlyPolicy(env.uniqueName(name)),
        tags: { DataClassification: 'PHI' },
      });
      await env.dataEventsTrail(env.home);
      return { all: true, factory: { deny: ['S3:GetBucketTagging'] }, refs: { source: bucket.name } };
    },
    expect: {
      nonCompliant: [],
      unknown: ['replication_configured'],
      mentions: { replication_configured: 's3:GetBucketTagging' },
    },
    verify: (results, target) =>
      results.some((r) => r.bucket === target.refs?.source && r.status === 'UNKNOWN')
        ? []
        : [`--all dropped ${target.refs?.source} instead of reporting it UNKNOWN`],
  }),
  defineScenario({
    name: 'replica-only-named',
    description:
      'scan --bucket names a PHI-tagged bucket that only receives replicas from a source in the same account',
    kind: 'near-miss',
    build: async (env, name) => {
      const path = await env.replicatedPair({ name, ...HEALTHY, crossAccount: false });
      await putTags(env, path.destination, { DataClassification: 'PHI' });
      return {
        buckets: [path.destination.name],
        refs: { source: path.source.name, destination: path.destination.name },
      };
    },
    expect: { nonCompliant: [] },
    verify: replicaNotFailed,
  }),
  defineScenario({
    name: 'replica-only-named-xacct',
    description:
      'The DR account scans its PHI replica bucket by name: its bucket policy shows the source account writes into it',
    kind: 'near-miss',
    build: async (env, name) => {
      const path = await env.replicatedPair({ name, ...HEALTHY });
      await putTags(env, path.destination, { DataClassification: 'PHI' });
      return {
        buckets: [path.destination.name],
        factory: { account: path.destination.account, region: path.destination.region },
        refs: { source: path.source.name, destination: path.destination.name },
      };
    },
    expect: { nonCompliant: [] },
    verify: replicaNotFailed,
  }),
];
