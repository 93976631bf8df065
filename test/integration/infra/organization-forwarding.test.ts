/**
 * Organization mode end to end in the emulator's EventBridge: a member account's CloudTrail and alarm events
 * go through the member template's forwarding rules (infra/member-account.yml, created per Region as its
 * conditions say) to the central bus of another account and Region, where the central stack's rules
 * (infra/stack/organization.yml, from the packaged template) match them.
 *
 * moto 5.2.5 does not implement TestEventPattern (its handler is empty), so the patterns are proven by real
 * delivery instead: PutRule/PutTargets/PutEvents, moto's pattern matching and its cross-account bus targets,
 * with an SQS queue standing for each central function (moto invokes Lambda targets only with Docker).
 * moto's matcher did not look into arrays of objects (the alarm pattern's `configuration.metrics`): the launcher's
 * `events-arrays` patch makes it match as AWS does, and the alarm case fails without it.
 * Not emulated: the bus policy (moto does not enforce aws:PrincipalOrgID), the forwarding role (not assumed),
 * and AWS's refusal of PutEvents with an aws.* source (moto accepts it, which lets the test inject events).
 */
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { loadEvent } from '../../fixtures/events/index.js';
import type { Json, Template } from '../../unit/infra/cfn.js';
import { generatedTemplate, infraTemplate } from '../../unit/infra/cfn.js';

const endpoint = inject('emulatorEndpoint');
const MEMBER = testAccount('integration/infra/organization-forwarding/member');
const CENTRAL = testAccount('integration/infra/organization-forwarding/central');
const CENTRAL_REGION = 'us-east-1';
const MEMBER_REGIONS = ['us-east-1', 'us-west-2'] as const;
const BUS = 'replguard-itest-org';
const BUS_ARN = `arn:aws:events:${CENTRAL_REGION}:${CENTRAL}:event-bus/${BUS}`;
const TARGET_FUNCTIONS = ['OnConfigChangeLambdaFunction', 'OnReplicationAlarmLambdaFunction'] as const;

const events = (account: string, region: string) =>
  withAccount(new EventBridgeClient(emulatorClientConfig(endpoint, region)), account);
const sqs = withAccount(new SQSClient(emulatorClientConfig(endpoint, CENTRAL_REGION)), CENTRAL);
const queueUrls: Record<string, string> = {};

/** A condition of the member template, evaluated as CloudFormation would for one stack instance. */
const conditionOf = (template: Template, bindings: Record<string, string>) => {
  const value = (v: Json): Json => {
    if (typeof v === 'string') return v;
    if ('Ref' in v) return bindings[v.Ref];
    return truth(v);
  };
  const truth = (c: Json): boolean => {
    if ('Condition' in c) return truth(template.Conditions[c.Condition]);
    if ('Fn::Equals' in c) return value(c['Fn::Equals'][0]) === value(c['Fn::Equals'][1]);
    if ('Fn::Not' in c) return !value(c['Fn::Not'][0]);
    if ('Fn::And' in c) return (c['Fn::And'] as Json[]).every((x) => value(x));
    throw new Error(`condition function not handled: ${Object.keys(c).join(',')}`);
  };
  return (name: string): boolean => truth({ Condition: name });
};

/** Creates the member stack instance's forwarding rules in `region`, as the StackSet would. */
const deployMember = async (region: string): Promise<void> => {
  const template = infraTemplate('member-account.yml');
  const on = conditionOf(template, {
    'AWS::Region': region,
    'AWS::AccountId': MEMBER,
    ReplGuardAccountId: CENTRAL,
    CentralEventBusArn: BUS_ARN,
    RoleRegion: CENTRAL_REGION,
  });
  const client = events(MEMBER, region);
  for (const [id, rule] of Object.entries(template.Resources)) {
    if (rule.Type !== 'AWS::Events::Rule' || !on(rule.Condition!)) continue;
    await client.send(
      new PutRuleCommand({ Name: id, EventPattern: JSON.stringify(rule.Properties.EventPattern) }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: id,
        Targets: [
          { Id: 'replguard-central-bus', Arn: BUS_ARN, RoleArn: `arn:aws:iam::${MEMBER}:role/forward` },
        ],
      }),
    );
  }
};

/** Creates the central bus and its rules from the packaged stack, each targeting its function's stand-in queue. */
const deployCentral = async (): Promise<void> => {
  const template = generatedTemplate();
  const client = events(CENTRAL, CENTRAL_REGION);
  await client.send(new CreateEventBusCommand({ Name: BUS }));
  for (const fn of TARGET_FUNCTIONS) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `itest-${fn}` }));
    queueUrls[fn] = QueueUrl!;
  }
  for (const [id, rule] of Object.entries(template.Resources)) {
    if (rule.Type !== 'AWS::Events::Rule' || rule.Properties.EventBusName === undefined) continue;
    const fn = rule.Properties.Targets[0].Arn['Fn::GetAtt'][0] as string;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrls[fn], AttributeNames: ['QueueArn'] }),
    );
    await client.send(
      new PutRuleCommand({
        Name: id,
        EventBusName: BUS,
        EventPattern: JSON.stringify(rule.Properties.EventPattern),
      }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: id,
        EventBusName: BUS,
        Targets: [{ Id: fn, Arn: Attributes!.QueueArn! }],
      }),
    );
  }
};

/** Puts `event` on the member's default bus in its Region; returns what each central function received. */
const emitInMember = async (event: Json, region: string): Promise<Record<string, Json[]>> => {
  await events(MEMBER, region).send(
    new PutEventsCommand({
      Entries: [
        { Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail) },
      ],
    }),
  );
  const received: Record<string, Json[]> = {};
  for (const fn of TARGET_FUNCTIONS) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrls[fn], MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
    );
    received[fn] = Messages.map((m) => JSON.parse(m.Body!));
  }
  return received;
};

beforeAll(async () => {
  await deployCentral();
  for (const region of MEMBER_REGIONS) await deployMember(region);
}, 300_000);

describe('member events reach the central functions through the central bus', () => {
  it('a watched S3 call in a member Region reaches onConfigChange, and nothing else', async () => {
    const event = loadEvent('cloudtrail', 's3-put-bucket-versioning');
    const received = await emitInMember(event, 'us-west-2');
    expect(received.OnConfigChangeLambdaFunction).toHaveLength(1);
    expect(received.OnConfigChangeLambdaFunction![0]).toMatchObject({
      source: 'aws.s3',
      'detail-type': 'AWS API Call via CloudTrail',
      detail: event.detail,
    });
    expect(received.OnReplicationAlarmLambdaFunction).toEqual([]);
  });

  it('a KMS call reaches onConfigChange', async () => {
    const event = loadEvent('cloudtrail', 'kms-disable-key');
    const received = await emitInMember(event, 'us-west-2');
    expect(received.OnConfigChangeLambdaFunction!.map((e) => e.detail.eventName)).toEqual(['DisableKey']);
  });

  it('an IAM call is forwarded from us-east-1, where CloudTrail delivers it, and only once', async () => {
    const event = loadEvent('cloudtrail', 'iam-put-role-policy');
    expect((await emitInMember(event, 'us-east-1')).OnConfigChangeLambdaFunction).toHaveLength(1);
    // Elsewhere the member template has no IAM rule (IAM events never arrive there in AWS).
    expect((await emitInMember(event, 'us-west-2')).OnConfigChangeLambdaFunction).toEqual([]);
  });

  it('a replication-metric alarm reaches onReplicationAlarm; an unrelated alarm is not forwarded', async () => {
    const alarm = await emitInMember(loadEvent('alarm', 'bytes-pending-alarm'), 'us-west-2');
    expect(alarm.OnReplicationAlarmLambdaFunction).toHaveLength(1);
    expect(alarm.OnConfigChangeLambdaFunction).toEqual([]);
    const unrelated = await emitInMember(loadEvent('alarm', 'unrelated-metric-alarm'), 'us-west-2');
    expect(unrelated.OnReplicationAlarmLambdaFunction).toEqual([]);
  });

  it('an S3 call ReplGuard does not watch is not forwarded', async () => {
    const event = loadEvent('cloudtrail', 's3-put-bucket-versioning') as Json;
    const other = { ...event, detail: { ...event.detail, eventName: 'PutBucketTagging' } };
    const received = await emitInMember(other, 'us-west-2');
    expect(received.OnConfigChangeLambdaFunction).toEqual([]);
  });
});
