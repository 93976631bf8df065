/**
 * infra/replication-monitoring.yml satisfies ReplGuard's own monitoring rules.
 *
 * moto's CloudFormation skips CloudWatch alarms and cannot run a custom resource's Lambda without
 * Docker, so the test creates the template's resources itself, from the template's own content:
 * each alarm is `PutMetricAlarm` with the resource's Properties (intrinsics resolved as
 * CloudFormation would), and the bucket notification is applied by running the custom resource's
 * inline code (the template's ZipFile) against the emulator. Then it scans the pair.
 */
import { runInThisContext } from 'node:vm';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ClientFactory } from '../../../shared/aws/clientFactory.js';
import { collectSnapshot } from '../../../shared/collect/liveSnapshot.js';
import { ScanSession } from '../../../shared/collect/session.js';
import { ruleById } from '../../../shared/rules/index.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import type { Json, Template } from '../../unit/infra/cfn.js';
import { infraTemplate, resolveIntrinsics, ROOT } from '../../unit/infra/cfn.js';

const endpoint = inject('emulatorEndpoint');
const account = testAccount('integration/infra/monitoring-template');
const REGION = 'us-east-1';
const SOURCE = 'phi-monitored-src';
const DESTINATION = 'phi-monitored-dst';
const RULE_ID = 'phi-to-dr';
const MONITORING_RULES = ['pending_replication_alarm', 'failure_notifications_configured'] as const;

const s3 = withAccount(new S3Client(emulatorClientConfig(endpoint)), account);
const sqs = withAccount(new SQSClient(emulatorClientConfig(endpoint)), account);
const sns = withAccount(new SNSClient(emulatorClientConfig(endpoint)), account);
const cloudwatch = withAccount(new CloudWatchClient(emulatorClientConfig(endpoint)), account);

interface CustomResource {
  run(event: Json, s3: S3Client): Promise<string>;
}

/** The custom resource's inline source, loaded as the Lambda runtime would (CommonJS, SDK v3 available). */
const loadCustomResource = (template: Template): CustomResource => {
  const code = template.Resources.FailureNotificationFunction!.Properties.Code.ZipFile as string;
  const module = { exports: {} as CustomResource };
  const wrapper = runInThisContext(`(function (require, module, exports) {\n${code}\n})`, {
    filename: 'replication-monitoring.yml#FailureNotificationFunction',
  }) as (r: NodeJS.Require, m: { exports: CustomResource }, e: CustomResource) => void;
  wrapper(createRequire(join(ROOT, 'package.json')), module, module.exports);
  return module.exports;
};

/** The custom resource's properties as CloudFormation passes them to its function (ServiceToken aside). */
const customResourceProperties = (template: Template, bindings: Record<string, string | number>): Json => {
  const { ServiceToken: _token, ...properties } = template.Resources.FailureNotification!.Properties as Json;
  return resolveIntrinsics(properties, bindings);
};

/** Scans the source bucket and returns the results of the two monitoring rules. */
const scanMonitoring = async (): Promise<RuleResult[]> => {
  const factory = new ClientFactory({
    endpointUrl: endpoint,
    region: REGION,
    credentials: emulatorClientConfig(endpoint).credentials,
    decorate: (client) => void withAccount(client, account),
  });
  const snapshot = await collectSnapshot(new ScanSession(factory), SOURCE, { accountId: account });
  return MONITORING_RULES.flatMap((id) => {
    const rule = ruleById(id);
    if (!rule) throw new Error(`rule ${id} is not in the catalog yet`);
    return [...rule.evaluate(snapshot)];
  });
};

describe('infra/replication-monitoring.yml, created in the emulator', () => {
  const template = infraTemplate('replication-monitoring.yml');
  let bindings: Record<string, string | number>;
  let queueArn: string;
  let otherQueueArn: string;

  beforeAll(async () => {
    for (const bucket of [SOURCE, DESTINATION]) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
    }
    await s3.send(
      new PutBucketReplicationCommand({
        Bucket: SOURCE,
        ReplicationConfiguration: {
          Role: `arn:aws:iam::${account}:role/phi-replication`,
          Rules: [
            {
              ID: RULE_ID,
              Priority: 1,
              Status: 'Enabled',
              Filter: { Prefix: '' },
              DeleteMarkerReplication: { Status: 'Enabled' },
              Destination: { Bucket: `arn:aws:s3:::${DESTINATION}`, Metrics: { Status: 'Enabled' } },
            },
          ],
        },
      }),
    );
    const arnOf = async (name: string) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      return Attributes!.QueueArn!;
    };
    queueArn = await arnOf('replguard-dev-replication-events');
    otherQueueArn = await arnOf('ingest-pipeline');
    // The bucket already notifies another system: the template must keep that notification.
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: SOURCE,
        NotificationConfiguration: {
          QueueConfigurations: [{ Id: 'ingest', QueueArn: otherQueueArn, Events: ['s3:ObjectCreated:*'] }],
        },
      }),
    );
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'replguard-dev-findings' }));
    const defaults = Object.fromEntries(
      Object.entries(template.Parameters)
        .filter(([, p]) => p.Default !== undefined)
        .map(([name, p]) => [name, p.Default]),
    );
    bindings = {
      ...defaults,
      SourceBucketName: SOURCE,
      DestinationBucketName: DESTINATION,
      ReplicationRuleId: RULE_ID,
      AlarmTopicArn: TopicArn!,
      ReplicationEventsQueueArn: queueArn,
      'AWS::Region': REGION,
      'AWS::AccountId': account,
      'AWS::Partition': 'aws',
      'AWS::StackName': 'replguard-monitoring-phi',
    };
  });

  it('starts from a pair the monitoring rules flag (the scan can fail)', async () => {
    const results = await scanMonitoring();
    expect(results.map((r) => [r.ruleId, r.status])).toEqual(
      MONITORING_RULES.map((id) => [id, 'NON_COMPLIANT']),
    );
  });

  it('creates its alarms as the template defines them', async () => {
    const alarms = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual([
      'BytesPendingReplication',
      'OperationsFailedReplication',
    ]);
    for (const alarm of alarms)
      await cloudwatch.send(
        new PutMetricAlarmCommand(
          resolveIntrinsics(alarm.Properties, bindings, template.Mappings) as PutMetricAlarmCommandInput,
        ),
      );
    const { MetricAlarms } = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: `replguard-${SOURCE}` }),
    );
    expect(MetricAlarms).toHaveLength(2);
    for (const a of MetricAlarms ?? []) {
      expect(a).toMatchObject({
        Namespace: 'AWS/S3',
        TreatMissingData: 'notBreaching',
        ActionsEnabled: true,
      });
      expect(a.AlarmActions).toEqual([bindings.AlarmTopicArn]);
      expect(Object.fromEntries((a.Dimensions ?? []).map((d) => [d.Name, d.Value]))).toEqual({
        SourceBucket: SOURCE,
        DestinationBucket: DESTINATION,
        RuleId: RULE_ID,
      });
    }
  });

  it('adds the s3:Replication:* notification to the queue through its custom resource, keeping the others', async () => {
    const resource = loadCustomResource(template);
    const properties = customResourceProperties(template, bindings);
    const id = await resource.run({ RequestType: 'Create', ResourceProperties: properties }, s3);
    expect(id).toBe(`${SOURCE}|replguard-replication-events|owned`);
    // Running it again (a stack update) changes nothing.
    expect(
      await resource.run(
        { RequestType: 'Update', ResourceProperties: properties, PhysicalResourceId: id },
        s3,
      ),
    ).toBe(id);
    const config = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: SOURCE }));
    expect(config.QueueConfigurations?.map((q) => [q.Id, q.QueueArn, q.Events])).toEqual([
      ['ingest', otherQueueArn, ['s3:ObjectCreated:*']],
      ['replguard-replication-events', queueArn, ['s3:Replication:*']],
    ]);
  });

  it('then scans clean for pending_replication_alarm and failure_notifications_configured', async () => {
    const results = await scanMonitoring();
    expect(results.length).toBeGreaterThanOrEqual(MONITORING_RULES.length);
    for (const r of results)
      expect([r.ruleId, r.status, r.message]).toEqual([r.ruleId, 'COMPLIANT', r.message]);
  });

  it('removes only its own notification when the stack is deleted, and adopts an equivalent one', async () => {
    const resource = loadCustomResource(template);
    const properties = customResourceProperties(template, bindings);
    await resource.run(
      {
        RequestType: 'Delete',
        ResourceProperties: properties,
        PhysicalResourceId: `${SOURCE}|replguard-replication-events|owned`,
      },
      s3,
    );
    let config = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: SOURCE }));
    expect(config.QueueConfigurations?.map((q) => q.Id)).toEqual(['ingest']);
    // A second pair of the same source bucket finds the events already sent to the queue: it adopts
    // that configuration, and its deletion leaves it in place.
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: SOURCE,
        NotificationConfiguration: {
          QueueConfigurations: [
            ...(config.QueueConfigurations ?? []),
            { Id: 'set-by-hand', QueueArn: queueArn, Events: ['s3:Replication:OperationFailedReplication'] },
          ],
        },
      }),
    );
    const adopted = await resource.run({ RequestType: 'Create', ResourceProperties: properties }, s3);
    expect(adopted).toBe(`${SOURCE}|replguard-replication-events|adopted`);
    await resource.run(
      { RequestType: 'Delete', ResourceProperties: properties, PhysicalResourceId: adopted },
      s3,
    );
    config = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: SOURCE }));
    expect(config.QueueConfigurations?.map((q) => q.Id).sort()).toEqual(['ingest', 'set-by-hand']);
  });

  it('refuses to add a second destination for replication events, naming the one in place', async () => {
    const resource = loadCustomResource(template);
    const properties = customResourceProperties(template, {
      ...bindings,
      ReplicationEventsQueueArn: otherQueueArn,
    });
    await expect(resource.run({ RequestType: 'Create', ResourceProperties: properties }, s3)).rejects.toThrow(
      `already sends replication events to ${queueArn}`,
    );
  });
});
