import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import type { AlarmInfo } from '../../../shared/model/snapshot.js';
import { pendingReplicationAlarm } from '../../../shared/rules/pending_replication_alarm.js';
import {
  denied,
  DST_BUCKET,
  type MutableSnapshot,
  RULE_ID,
  SRC_ACCOUNT,
  SRC_BUCKET,
  SRC_REGION,
  TOPIC_ARN,
  variant,
} from '../../fixtures/snapshots.js';
import {
  addSecondDestination,
  ARCHIVE_BUCKET,
  ARCHIVE_RULE,
  type Case,
  mutable,
  outcomes,
  resultFor,
} from './secondDestination.js';

const alarm = (s: MutableSnapshot) => {
  if (!s.alarms.known) throw new Error('fixture');
  const a = s.alarms.value[0];
  if (!a) throw new Error('fixture');
  return a;
};
const dims = { SourceBucket: SRC_BUCKET, DestinationBucket: DST_BUCKET, RuleId: RULE_ID };
const onlyAlarm = (a: Partial<AlarmInfo>) => (s: MutableSnapshot) =>
  void (s.alarms = known(mutable([{ ...structuredClone(alarm(s)), ...a }])));

describe('pending_replication_alarm', () => {
  it.each<Case>([
    [
      'an alarm on BytesPendingReplication with an action',
      () => {},
      'COMPLIANT',
      /phi-prod-to-phi-dr-pending/,
    ],
    [
      'an alarm on OperationsPendingReplication',
      onlyAlarm({
        metrics: [{ namespace: 'AWS/S3', name: 'OperationsPendingReplication', dimensions: dims }],
      }),
      'COMPLIANT',
    ],
    [
      'a metric-math alarm with one matching metric',
      onlyAlarm({
        metrics: [
          { namespace: 'AWS/S3', name: 'OperationsFailedReplication', dimensions: dims },
          { namespace: 'AWS/S3', name: 'BytesPendingReplication', dimensions: dims },
        ],
      }),
      'COMPLIANT',
    ],
    ['no alarms', (s) => void (s.alarms = known([])), 'NON_COMPLIANT', /No CloudWatch alarm/],
    ['an alarm without actions', onlyAlarm({ alarmActions: [] }), 'NON_COMPLIANT', /has no alarm action/],
    [
      'an alarm with actions disabled',
      onlyAlarm({ actionsEnabled: false }),
      'NON_COMPLIANT',
      /actions disabled/,
    ],
    [
      'an alarm on another rule',
      onlyAlarm({
        metrics: [
          { namespace: 'AWS/S3', name: 'BytesPendingReplication', dimensions: { ...dims, RuleId: 'other' } },
        ],
      }),
      'NON_COMPLIANT',
    ],
    [
      'an alarm on another destination',
      onlyAlarm({
        metrics: [
          {
            namespace: 'AWS/S3',
            name: 'BytesPendingReplication',
            dimensions: { ...dims, DestinationBucket: 'x' },
          },
        ],
      }),
      'NON_COMPLIANT',
    ],
    [
      'an alarm on latency only',
      onlyAlarm({ metrics: [{ namespace: 'AWS/S3', name: 'ReplicationLatency', dimensions: dims }] }),
      'NON_COMPLIANT',
    ],
    [
      'an alarm without the RuleId dimension',
      onlyAlarm({
        metrics: [
          {
            namespace: 'AWS/S3',
            name: 'BytesPendingReplication',
            dimensions: { SourceBucket: SRC_BUCKET, DestinationBucket: DST_BUCKET },
          },
        ],
      }),
      'NON_COMPLIANT',
    ],
    [
      'unreadable alarms',
      (s) => void (s.alarms = denied('cloudwatch:DescribeAlarms')),
      'UNKNOWN',
      /cloudwatch:DescribeAlarms/,
    ],
    ['no replication', (s) => void (s.source.replication = known(null)), 'NOT_APPLICABLE'],
  ])('%s → %s', (_name, change, status, message) => {
    const [result, ...rest] = pendingReplicationAlarm.evaluate(variant(change));
    expect(rest).toHaveLength(0);
    expect(result?.status).toBe(status);
    if (message) expect(result?.message).toMatch(message);
  });

  it('adds an alarm with the three dimensions notifying a new alerts topic', () => {
    const [result] = pendingReplicationAlarm.evaluate(variant((s) => void (s.alarms = known([]))));
    expect(result).toMatchObject({ destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    const alerts = `arn:aws:sns:${SRC_REGION}:${SRC_ACCOUNT}:replguard-replication-alerts`;
    expect(result?.remediation).toContain(
      `Add an alarm on OperationsPendingReplication of the rule that notifies ${alerts}`,
    );
    expect(result?.remediation).toContain('replication metrics');
    expect(result?.changes).toEqual([
      {
        kind: 'topic',
        name: 'replguard-replication-alerts',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        publishers: [],
      },
      {
        kind: 'alarm',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        alarm: {
          name: 'replguard-pending-phi-prod-phi-dr-phi-to-dr',
          metricName: 'OperationsPendingReplication',
          dimensions: dims,
          actions: [alerts],
        },
      },
    ]);
  });

  it("reuses an existing alarm's action for a rule without an alarm, keeping a rule id with spaces", () => {
    const results = pendingReplicationAlarm.evaluate(
      variant((s) => {
        addSecondDestination(s);
        if (s.alarms.known) s.alarms.value.pop();
        const archive = s.source.replication.known ? s.source.replication.value?.rules[1] : undefined;
        if (archive) archive.id = 'archive to eu';
      }),
    );
    const archive = resultFor(results, ARCHIVE_BUCKET);
    expect(archive.status).toBe('NON_COMPLIANT');
    expect(archive.remediation).toContain(`notifies ${TOPIC_ARN}`);
    // No topic to create: the action of phi-prod-to-phi-dr-pending is reused. Quoting is the planner's job.
    expect(archive.changes).toEqual([
      {
        kind: 'alarm',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        alarm: {
          name: 'replguard-pending-phi-prod-phi-archive-archive to eu',
          metricName: 'OperationsPendingReplication',
          dimensions: {
            SourceBucket: SRC_BUCKET,
            DestinationBucket: ARCHIVE_BUCKET,
            RuleId: 'archive to eu',
          },
          actions: [TOPIC_ARN],
        },
      },
    ]);
  });

  it('enables the actions of a silent alarm that has an action', () => {
    const [result] = pendingReplicationAlarm.evaluate(variant(onlyAlarm({ actionsEnabled: false })));
    expect(result?.remediation).toBe('Enable the actions of phi-prod-to-phi-dr-pending.');
    expect(result?.changes).toEqual([
      {
        kind: 'alarm-actions',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        alarmName: 'phi-prod-to-phi-dr-pending',
      },
    ]);
  });

  it('adds a notifying alarm next to one that has no action', () => {
    const [result] = pendingReplicationAlarm.evaluate(variant(onlyAlarm({ alarmActions: [] })));
    const alerts = `arn:aws:sns:${SRC_REGION}:${SRC_ACCOUNT}:replguard-replication-alerts`;
    expect(result?.remediation).toBe(
      `Add a backlog alarm that notifies ${alerts} next to phi-prod-to-phi-dr-pending.`,
    );
    expect(result?.changes).toMatchObject([
      { kind: 'topic', name: 'replguard-replication-alerts', accountId: SRC_ACCOUNT, region: SRC_REGION },
      {
        kind: 'alarm',
        alarm: { name: 'replguard-pending-phi-prod-phi-dr-phi-to-dr', dimensions: dims, actions: [alerts] },
      },
    ]);
  });

  it('matches each rule to its own alarm (a metric-math alarm for the second destination)', () => {
    expect(outcomes(pendingReplicationAlarm.evaluate(variant(addSecondDestination)))).toEqual([
      [DST_BUCKET, RULE_ID, 'COMPLIANT'],
      [ARCHIVE_BUCKET, ARCHIVE_RULE, 'COMPLIANT'],
    ]);
  });
});
