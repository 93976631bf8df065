import type {
  ReplicationConfiguration as ApiReplication,
  ReplicationRule as ApiRule,
} from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  filterFromConfig,
  replicationFromConfig,
} from '../../../../shared/collect/normalise/configReplication.js';
import { normaliseReplication } from '../../../../shared/collect/normalise/s3Api.js';

/** How AWS Config records an API replication configuration: camelCase, rules keyed by id, filter predicates. */
const toConfigShape = (api: ApiReplication) => ({
  roleARN: api.Role ?? null,
  rules: Object.fromEntries(
    (api.Rules ?? []).map((r) => [
      r.ID,
      {
        prefix: r.Prefix ?? null,
        status: r.Status,
        priority: r.Priority ?? null,
        filter: r.Filter ? { predicate: predicateOf(r.Filter) } : null,
        deleteMarkerReplication: r.DeleteMarkerReplication
          ? { status: r.DeleteMarkerReplication.Status }
          : null,
        existingObjectReplication: r.ExistingObjectReplication
          ? { status: r.ExistingObjectReplication.Status }
          : null,
        sourceSelectionCriteria: r.SourceSelectionCriteria
          ? {
              sseKmsEncryptedObjects: r.SourceSelectionCriteria.SseKmsEncryptedObjects
                ? { status: r.SourceSelectionCriteria.SseKmsEncryptedObjects.Status }
                : null,
              replicaModifications: r.SourceSelectionCriteria.ReplicaModifications
                ? { status: r.SourceSelectionCriteria.ReplicaModifications.Status }
                : null,
            }
          : null,
        destinationConfig: {
          bucketARN: r.Destination?.Bucket,
          storageClass: r.Destination?.StorageClass ?? null,
          ...(r.Destination?.Account ? { account: r.Destination.Account } : {}),
          accessControlTranslation: r.Destination?.AccessControlTranslation
            ? { owner: r.Destination.AccessControlTranslation.Owner }
            : null,
          encryptionConfiguration: r.Destination?.EncryptionConfiguration
            ? { replicaKmsKeyID: r.Destination.EncryptionConfiguration.ReplicaKmsKeyID }
            : null,
          metrics: r.Destination?.Metrics
            ? {
                status: r.Destination.Metrics.Status,
                eventThreshold: r.Destination.Metrics.EventThreshold
                  ? { minutes: r.Destination.Metrics.EventThreshold.Minutes }
                  : null,
              }
            : null,
          replicationTime: r.Destination?.ReplicationTime
            ? {
                status: r.Destination.ReplicationTime.Status,
                time: { minutes: r.Destination.ReplicationTime.Time?.Minutes },
              }
            : null,
        },
      },
    ]),
  ),
});

const predicateOf = (filter: NonNullable<ApiRule['Filter']>) => {
  if (filter.And)
    return {
      type: 'ReplicationAndOperator',
      operands: [
        ...(filter.And.Prefix !== undefined
          ? [{ type: 'ReplicationPrefixPredicate', prefix: filter.And.Prefix }]
          : []),
        ...(filter.And.Tags ?? []).map((t) => ({
          type: 'ReplicationTagPredicate',
          tag: { key: t.Key, value: t.Value },
        })),
      ],
    };
  if (filter.Tag)
    return { type: 'ReplicationTagPredicate', tag: { key: filter.Tag.Key, value: filter.Tag.Value } };
  return { type: 'ReplicationPrefixPredicate', prefix: filter.Prefix ?? '' };
};

const byId = (c: ReturnType<typeof replicationFromConfig>) =>
  c ? { ...c, rules: [...c.rules].sort((a, b) => a.id.localeCompare(b.id)) } : c;

const toggle = fc.constantFrom('Enabled' as const, 'Disabled' as const);
const name = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{2,20}$/);
const tag = fc.record({ Key: name, Value: fc.string({ maxLength: 8 }) });
const filter = fc.oneof(
  fc.record({ Prefix: fc.string({ maxLength: 10 }) }),
  fc.record({ Tag: tag }),
  fc.record({
    And: fc.record({
      Prefix: fc.string({ maxLength: 10 }),
      Tags: fc.array(tag, { minLength: 1, maxLength: 3 }),
    }),
  }),
);
const rule: fc.Arbitrary<ApiRule> = fc.record(
  {
    ID: name,
    Priority: fc.nat({ max: 100 }),
    Status: toggle,
    Filter: filter,
    DeleteMarkerReplication: fc.record({ Status: toggle }),
    ExistingObjectReplication: fc.record({ Status: toggle }),
    SourceSelectionCriteria: fc.record(
      {
        SseKmsEncryptedObjects: fc.record({ Status: toggle }),
        ReplicaModifications: fc.record({ Status: toggle }),
      },
      { requiredKeys: [] },
    ),
    Destination: fc.record(
      {
        Bucket: name.map((n) => `arn:aws:s3:::${n}`),
        Account: fc.stringMatching(/^[0-9]{12}$/),
        StorageClass: fc.constantFrom('STANDARD', 'STANDARD_IA', 'GLACIER_IR'),
        AccessControlTranslation: fc.constant({ Owner: 'Destination' as const }),
        EncryptionConfiguration: fc.record({
          ReplicaKmsKeyID: fc.uuid().map((u) => `arn:aws:kms:us-west-2:222233334444:key/${u}`),
        }),
        Metrics: fc.record({ Status: toggle, EventThreshold: fc.constant({ Minutes: 15 }) }),
        ReplicationTime: fc.record({ Status: toggle, Time: fc.constant({ Minutes: 15 }) }),
      },
      { requiredKeys: ['Bucket'] },
    ),
  },
  { requiredKeys: ['ID', 'Status', 'Destination'] },
) as fc.Arbitrary<ApiRule>;
const configuration: fc.Arbitrary<ApiReplication> = fc.record({
  Role: fc.constant('arn:aws:iam::111122223333:role/replication'),
  Rules: fc.uniqueArray(rule, { minLength: 1, maxLength: 4, selector: (r) => r.ID }),
});

describe('replicationFromConfig', () => {
  it('normalises a Config record exactly as the API reader normalises the same configuration', () => {
    fc.assert(
      fc.property(configuration, fc.boolean(), (api, asText) => {
        const recorded = toConfigShape(api);
        const fromConfig = replicationFromConfig(asText ? JSON.stringify(recorded) : recorded);
        // a map keyed by rule id keeps no order for numeric ids: compare rules by id
        expect(byId(fromConfig)).toEqual(byId(normaliseReplication(api)));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary JSON, and returns a configuration, null or undefined', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const out = replicationFromConfig(value);
        expect(out === undefined || out === null || Array.isArray(out.rules)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it.each<[string, unknown, unknown]>([
    ['no rules and no role', { roleARN: null, rules: {} }, null],
    ['not an object', 'Enabled', undefined],
    [
      'rules as a list with ids',
      { roleARN: 'r', rules: [{ id: 'a', status: 'ENABLED', destinationConfig: { bucketARN: 'b' } }] },
      {
        role: 'r',
        rules: [
          {
            id: 'a',
            status: 'Enabled',
            filter: {},
            destination: { bucketArn: 'arn:aws:s3:::b', bucket: 'b' },
          },
        ],
      },
    ],
    [
      'PascalCase names and a rule-level ReplicaKmsKeyID',
      {
        RoleARN: 'r',
        Rules: {
          x: {
            Status: 'Enabled',
            ReplicaKmsKeyID: 'k',
            DestinationConfig: { BucketARN: 'arn:aws:s3:::b', Account: '1' },
          },
        },
      },
      {
        role: 'r',
        rules: [
          {
            id: 'x',
            status: 'Enabled',
            filter: {},
            destination: { bucketArn: 'arn:aws:s3:::b', bucket: 'b', account: '1', replicaKmsKeyId: 'k' },
          },
        ],
      },
    ],
  ])('handles %s', (_case, input, expected) => {
    expect(replicationFromConfig(input)).toEqual(expected);
  });
});

describe('filterFromConfig', () => {
  it.each<[string, unknown, unknown]>([
    [
      'a prefix predicate',
      { filter: { predicate: { type: 'ReplicationPrefixPredicate', prefix: 'a/' } } },
      { prefix: 'a/' },
    ],
    [
      'a tag predicate',
      { filter: { predicate: { type: 'ReplicationTagPredicate', tag: { key: 'k', value: 'v' } } } },
      {
        tags: [{ key: 'k', value: 'v' }],
      },
    ],
    [
      'the API shape with And',
      { filter: { and: { prefix: 'p', tags: [{ key: 'k', value: 'v' }] } } },
      {
        prefix: 'p',
        tags: [{ key: 'k', value: 'v' }],
      },
    ],
    ['the legacy rule prefix', { prefix: 'old/', filter: null }, { prefix: 'old/' }],
    ['nothing (every object)', {}, {}],
  ])('reads %s', (_case, rule, expected) => {
    expect(filterFromConfig(rule)).toEqual(expected);
  });
});
