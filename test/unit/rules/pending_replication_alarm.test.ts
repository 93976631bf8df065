import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import type { AlarmInfo } from '../../../shared/model/snapshot.js';
import { pendingReplicationAlarm } from '../../../shared/rules/pending_replication_alarm.js';
import {
  denied,
  DST_BUCKET,
  type MutableSnapshot,
  RULE_ID,
  SRC_BUCKET,
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

  it('gives the put-metric-alarm command with the three dimensions and a topic', () => {
    const [result] = pendingReplicationAlarm.evaluate(variant((s) => void (s.alarms = known([]))));
    expect(result).toMatchObject({ destinationBucket: DST_BUCKET, replicationRuleId: RULE_ID });
    const fix = result?.remediation ?? '';
    expect(fix).toContain(
      'aws cloudwatch put-metric-alarm --region us-east-1 --alarm-name replguard-pending-phi-prod-phi-dr-phi-to-dr',
    );
    expect(fix).toContain(
      `--dimensions '[{"Name":"SourceBucket","Value":"phi-prod"},{"Name":"DestinationBucket","Value":"phi-dr"},{"Name":"RuleId","Value":"phi-to-dr"}]'`,
    );
    expect(fix).toContain('--namespace AWS/S3 --metric-name OperationsPendingReplication');
    expect(fix).toContain('--alarm-actions arn:aws:sns:us-east-1:111111111111:replguard-replication-alerts');
  });

  it("reuses an existing alarm's action for a rule without an alarm, and quotes a rule id with spaces", () => {
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
    expect(archive.remediation).toContain(`--alarm-actions ${TOPIC_ARN}`);
    expect(archive.remediation).toContain(
      `--alarm-name 'replguard-pending-phi-prod-phi-archive-archive to eu'`,
    );
  });

  it('matches each rule to its own alarm (a metric-math alarm for the second destination)', () => {
    expect(outcomes(pendingReplicationAlarm.evaluate(variant(addSecondDestination)))).toEqual([
      [DST_BUCKET, RULE_ID, 'COMPLIANT'],
      [ARCHIVE_BUCKET, ARCHIVE_RULE, 'COMPLIANT'],
    ]);
  });
});
