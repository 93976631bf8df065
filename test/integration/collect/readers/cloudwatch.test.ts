import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readReplicationAlarms } from '../../../../shared/collect/readers/cloudwatch.js';
import { testAccount } from '../../../emulator/accounts.js';
import { type Scenario, scenario } from '../../../scenarios/builder.js';

const endpoint = inject('emulatorEndpoint');

describe('readReplicationAlarms', () => {
  let env: Scenario;
  const path = { source: 'phi-prod', destination: 'phi-dr', ruleId: 'r1' };

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/readers/cloudwatch') });
    const topic = await env.topic('ops');
    await Promise.all([
      env.alarm({ name: 'plain-bytes', ...path, actions: [topic] }),
      env.alarm({
        name: 'math-operations',
        ...path,
        metric: 'OperationsPendingReplication',
        math: true,
        actionsEnabled: false,
      }),
      env.alarm({ name: 'failed', ...path, metric: 'OperationsFailedReplication', actions: [topic] }),
      env.alarm({ name: 'other-region', ...path, region: 'eu-west-1' }),
      env.clients().cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: 'queue-depth',
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Statistic: 'Maximum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 10,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      ),
    ]);
  });

  it('keeps plain and metric-math alarms on S3 replication metrics of the account and Region only', async () => {
    const datum = await readReplicationAlarms(env.session(), env.home, 'us-east-1');
    const alarms = datum.known ? datum.value : [];
    expect(alarms.map((a) => a.name).sort()).toEqual(['failed', 'math-operations', 'plain-bytes']);
    const math = alarms.find((a) => a.name === 'math-operations');
    expect(math).toMatchObject({
      actionsEnabled: false,
      metrics: [
        {
          namespace: 'AWS/S3',
          name: 'OperationsPendingReplication',
          dimensions: { SourceBucket: 'phi-prod', DestinationBucket: 'phi-dr', RuleId: 'r1' },
        },
      ],
    });
    expect(alarms.find((a) => a.name === 'plain-bytes')?.alarmActions).toEqual([await env.topic('ops')]);
  });

  it('reads once per account and Region per scan', async () => {
    const session = env.session();
    await Promise.all([1, 2, 3].map(() => readReplicationAlarms(session, env.home, 'us-east-1')));
    await readReplicationAlarms(session, env.home, 'eu-west-1');
    expect(session.factory.counter.snapshot()['CLOUDWATCH:DescribeAlarms']).toBe(2);
  });

  it('is unknown naming cloudwatch:DescribeAlarms when denied', async () => {
    expect(
      await readReplicationAlarms(
        env.session({ deny: ['CLOUDWATCH:DescribeAlarms'] }),
        env.home,
        'us-east-1',
      ),
    ).toEqual({
      known: false,
      reason: 'AccessDenied on cloudwatch:DescribeAlarms',
      permission: 'cloudwatch:DescribeAlarms',
      source: 'api',
    });
  });
});
