import { describe, expect, it } from 'vitest';
import { known } from '../../../../shared/model/datum.js';
import { ReplicationAggregator } from '../../../../shared/events/aggregate.js';
import type { ReplicationEvent } from '../../../../shared/events/s3Replication.js';
import { evaluateSnapshot } from '../../../../shared/engine/evaluate.js';
import type { Diagnosis } from '../../../../shared/model/diagnosis.js';
import { aggregateFinding, type AggregateInput } from '../../../../shared/rules/runtime/aggregates.js';
import {
  replicationOperationsFailing,
  replicationThresholdMissed,
} from '../../../../shared/rules/runtime/index.js';
import {
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  healthySnapshot,
  RULE_ID,
  SRC_ACCOUNT,
  SRC_BUCKET,
  variant,
} from '../../../fixtures/snapshots.js';

const KEY = 'patients/Jane Doe/mri.dcm';

const event = (over: Partial<ReplicationEvent> = {}): ReplicationEvent => ({
  type: 'OperationFailedReplication',
  region: 'us-east-1',
  eventTimeMs: Date.parse('2025-03-04T21:00:00Z'),
  sourceBucket: SRC_BUCKET,
  objectKey: KEY,
  replicationRuleId: RULE_ID,
  destinationBucket: DST_BUCKET,
  s3Operation: 'OBJECT_PUT',
  failureReason: 'DstBucketUnversioned',
  ...over,
});

const aggregateOf = (events: readonly ReplicationEvent[]) => {
  const agg = new ReplicationAggregator();
  events.forEach((e, i) => agg.add(e, `m${i}`));
  const [first] = agg.aggregates();
  if (!first) throw new Error('no aggregate');
  return first;
};

const diagnosed = (snapshot = healthySnapshot()): Diagnosis => ({
  ok: true,
  accountId: SRC_ACCOUNT,
  region: 'us-east-1',
  results: evaluateSnapshot(snapshot),
});

const suspended = variant((s) => {
  const d = s.destinations[DST_ARN];
  if (d) d.versioning = known('Suspended');
});

/** The finding of an aggregate, judged by the runtime rule of its kind. */
const findingForAggregate = (input: AggregateInput) =>
  aggregateFinding(
    input.aggregate.kind === 'failure' ? replicationOperationsFailing : replicationThresholdMissed,
    input,
  );

describe('aggregateFinding', () => {
  it('names the pair, the reason, its cause and the diagnosed root cause with its fix', () => {
    const finding = findingForAggregate({
      aggregate: aggregateOf([event()]),
      diagnosis: diagnosed(suspended),
      accountId: SRC_ACCOUNT,
    });
    expect(finding).toMatchObject({
      ruleId: 'replication_operations_failing',
      status: 'NON_COMPLIANT',
      severity: 'CRITICAL',
      bucket: SRC_BUCKET,
      destinationBucket: DST_BUCKET,
      replicationRuleId: RULE_ID,
      accountId: SRC_ACCOUNT,
      region: 'us-east-1',
    });
    expect(finding.message).toContain(
      `Replication of ${SRC_BUCKET} to ${DST_BUCKET} (rule ${RULE_ID}) is failing with DstBucketUnversioned`,
    );
    expect(finding.message).toContain('versioning is not enabled on the destination bucket');
    expect(finding.message).toContain('Root cause: [versioning_destination_enabled]');
    expect(finding.remediation.split('\n')).toHaveLength(2);
    const [rootFix, batch] = finding.remediation.split('\n');
    expect(rootFix).toBe(
      `Enable versioning on ${DST_BUCKET} (with credentials of account ${DST_ACCOUNT}), then re-replicate failed objects with S3 Batch Replication.`,
    );
    expect(batch).toContain(
      `copy the objects that FAILED meanwhile with S3 Batch Replication: replguard backfill --bucket ${SRC_BUCKET} --statuses FAILED --region us-east-1 --yes`,
    );
    expect(batch).not.toContain('<');
    expect(finding.details).toMatchObject({
      failureReason: 'DstBucketUnversioned',
      rootCause: ['versioning_destination_enabled'],
      diagnosis: 'complete',
    });
  });

  it('keeps counts, times and sample keys in details, never in the message (a growing storm does not re-alert)', () => {
    const small = findingForAggregate({
      aggregate: aggregateOf([event()]),
      diagnosis: diagnosed(suspended),
      accountId: SRC_ACCOUNT,
    });
    const big = findingForAggregate({
      aggregate: aggregateOf(
        Array.from({ length: 500 }, (_, i) =>
          event({ eventTimeMs: Date.parse('2025-03-04T21:00:00Z') + i, objectKey: `k${i}` }),
        ),
      ),
      diagnosis: diagnosed(suspended),
      accountId: SRC_ACCOUNT,
    });
    expect(big.message).toBe(small.message);
    expect(big.details).toMatchObject({
      count: 500,
      firstSeen: '2025-03-04T21:00:00.000Z',
      lastSeen: '2025-03-04T21:00:00.499Z',
    });
    expect(small.message).not.toContain(KEY);
    expect(small.remediation).not.toContain(KEY);
    expect(small.details?.sampleObjectKeys).toEqual([KEY]);
  });

  it('adds the counts of the stored finding and keeps its first-seen time', () => {
    const finding = findingForAggregate({
      aggregate: aggregateOf([event(), event()]),
      diagnosis: diagnosed(suspended),
      accountId: SRC_ACCOUNT,
      previous: { count: 998, firstSeen: '2025-03-04T20:00:00.000Z' },
    });
    expect(finding.details).toMatchObject({ count: 1000, firstSeen: '2025-03-04T20:00:00.000Z' });
  });

  it('says when the mapped rules find nothing, and lists other problems on the path', () => {
    const noTls = variant((s) => {
      s.source.policy = known(null);
    });
    const finding = findingForAggregate({
      aggregate: aggregateOf([event()]),
      diagnosis: diagnosed(noTls),
      accountId: SRC_ACCOUNT,
    });
    expect(finding.message).toContain(
      'ReplGuard found no configuration problem in versioning_destination_enabled',
    );
    expect(finding.message).toContain('other problems on this path: tls_only_policy');
    expect(finding.details?.rootCause).toEqual([]);
  });

  it('still reports when the diagnosis is unavailable', () => {
    const finding = findingForAggregate({
      aggregate: aggregateOf([event()]),
      diagnosis: { ok: false, reason: 'AccessDenied on s3:GetBucketLocation' },
      accountId: SRC_ACCOUNT,
    });
    expect(finding.message).toContain('Diagnosis unavailable: AccessDenied on s3:GetBucketLocation.');
    expect(finding.details?.diagnosis).toBe('unavailable');
  });

  it('reports an unknown reason, diagnosed against every rule', () => {
    const finding = findingForAggregate({
      aggregate: aggregateOf([event({ failureReason: 'DstQuantumEntanglement' })]),
      diagnosis: diagnosed(suspended),
      accountId: SRC_ACCOUNT,
    });
    expect(finding.message).toContain(
      'is failing with DstQuantumEntanglement: a failure reason ReplGuard does not know yet',
    );
    expect(finding.message).toContain('Root cause: [versioning_destination_enabled]');
    expect(finding.details).toMatchObject({ category: 'unknown' });
  });

  it('reports RTC threshold events as replication_threshold_missed (HIGH) with both counts', () => {
    const finding = findingForAggregate({
      aggregate: aggregateOf([
        event({ type: 'OperationMissedThreshold', failureReason: undefined }),
        event({ type: 'OperationReplicatedAfterThreshold', failureReason: undefined }),
        event({ type: 'OperationMissedThreshold', failureReason: undefined }),
      ]),
      diagnosis: diagnosed(),
      accountId: SRC_ACCOUNT,
    });
    expect(finding).toMatchObject({ ruleId: 'replication_threshold_missed', severity: 'HIGH' });
    expect(finding.message).toContain('missing the S3 Replication Time Control threshold');
    expect(finding.details).toMatchObject({ count: 3, missedThreshold: 2, replicatedAfterThreshold: 1 });
    expect(finding.remediation).not.toContain('Batch Replication');
  });
});

describe('runtime rules over aggregates', () => {
  const previous = (state: 'ACTIVE' | 'RESOLVED') => ({
    id: 'x',
    state,
    suppressed: false,
    details: { count: '998', firstSeen: '2025-03-04T20:00:00.000Z' },
  });

  it('continue the count of the ACTIVE stored finding (a storm spans many batches)', () => {
    const finding = replicationOperationsFailing.evaluate(aggregateOf([event(), event()]), {
      diagnosis: diagnosed(suspended),
      accountId: SRC_ACCOUNT,
      previous: previous('ACTIVE'),
    });
    expect(finding.details).toMatchObject({ count: 1000, firstSeen: '2025-03-04T20:00:00.000Z' });
  });

  it('start again from zero after a resolution (a new incident)', () => {
    const finding = replicationOperationsFailing.evaluate(aggregateOf([event(), event()]), {
      diagnosis: diagnosed(suspended),
      accountId: SRC_ACCOUNT,
      previous: previous('RESOLVED'),
    });
    expect(finding.details).toMatchObject({ count: 2, firstSeen: '2025-03-04T21:00:00.000Z' });
  });

  it('name the finding before building it: the key carries the failure reason', () => {
    const agg = aggregateOf([event()]);
    expect(replicationOperationsFailing.findingKey(agg, SRC_ACCOUNT)).toEqual({
      accountId: SRC_ACCOUNT,
      region: 'us-east-1',
      bucket: SRC_BUCKET,
      destinationBucket: DST_BUCKET,
      replicationRuleId: RULE_ID,
      ruleId: 'replication_operations_failing',
      variant: 'DstBucketUnversioned',
    });
  });
});
