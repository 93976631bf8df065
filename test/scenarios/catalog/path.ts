/**
 * Failure modes of the replication path itself: versioning, the destination bucket, its Region, and PHI
 * buckets with no replication at all.
 */
import { keyPolicy, tlsOnlyPolicy } from '../builder/policies.js';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { drainReplication } from '../../emulator/server.js';
import { defineScenario, HEALTHY, pair, type ScenarioDefinition } from './types.js';

export const pathScenarios: readonly ScenarioDefinition[] = [
  defineScenario({
    name: 'versioning-source-suspended',
    description:
      'Someone suspended versioning on the PHI source after replication was set up: new objects stop replicating',
    kind: 'failure',
    build: pair({ sourceVersioning: 'Suspended' }),
    expect: {
      nonCompliant: ['versioning_source_enabled'],
      mentions: { versioning_source_enabled: 'Suspended' },
    },
  }),
  defineScenario({
    name: 'objects-failed-while-broken',
    description:
      'Objects written while the DR bucket was unversioned FAILED; live replication never retries them, so fixing versioning is not enough',
    kind: 'failure',
    build: async (env, name) => {
      const path = await env.replicatedPair({ name, ...HEALTHY, destinationVersioning: 'Suspended' });
      const s3 = env.clients(path.source.account).s3;
      for (const key of ['visit-1.json', 'visit-2.json'])
        await s3.send(new PutObjectCommand({ Bucket: path.source.name, Key: key, Body: '{}' }));
      await drainReplication(env.endpoint);
      return {
        buckets: [path.source.name],
        refs: { source: path.source.name, destination: path.destination.name },
      };
    },
    expect: {
      nonCompliant: ['versioning_destination_enabled', 'replication_backlog_objects'],
      mentions: { replication_backlog_objects: '2 FAILED' },
    },
  }),
  defineScenario({
    name: 'versioning-dest-suspended',
    description: 'Versioning suspended on the DR bucket: every replication fails with DstBucketUnversioned',
    kind: 'failure',
    build: pair({ destinationVersioning: 'Suspended' }),
    expect: {
      nonCompliant: ['versioning_destination_enabled'],
      mentions: { versioning_destination_enabled: 'Suspended' },
    },
  }),
  defineScenario({
    name: 'destination-missing',
    description:
      'The DR bucket in the other account was deleted: every replication fails with DstBucketNotFound',
    kind: 'failure',
    build: pair({ destinationExists: false }),
    expect: {
      nonCompliant: ['replication_destination_reachable'],
      mentions: { replication_destination_reachable: 'does not exist' },
    },
  }),
  defineScenario({
    name: 'same-region-destination',
    description:
      'The only copy is in the same Region as the source: a Regional outage takes both (requireCrossRegion)',
    kind: 'failure',
    build: pair({ crossRegion: false }),
    expect: {
      nonCompliant: ['replication_cross_region'],
      mentions: { replication_cross_region: 'same Region' },
    },
  }),
  defineScenario({
    name: 'phi-bucket-unreplicated',
    description:
      'A bucket tagged DataClassification=PHI (otherwise hardened) has no replication: no second copy',
    kind: 'failure',
    build: async (env, name) => {
      const key = await env.key({ alias: `${name}-key`, policy: keyPolicy(env.home) });
      const bucket = await env.bucket({
        name,
        encryption: { algorithm: 'aws:kms', key },
        policy: tlsOnlyPolicy(env.uniqueName(name)),
        tags: { DataClassification: 'PHI' },
      });
      await env.dataEventsTrail(env.home);
      // found by `--all` through its scope tag, like `replguard scan --all`
      return { all: true, refs: { source: bucket.name } };
    },
    expect: {
      nonCompliant: ['replication_configured'],
      compliant: ['encryption_at_rest_kms', 'tls_only_policy'],
      decisions: ['replication_configured'],
    },
    verify: (results, target) =>
      results.some((r) => r.bucket === target.refs?.source)
        ? []
        : [`--all did not find the PHI-tagged bucket ${target.refs?.source}`],
  }),
];
