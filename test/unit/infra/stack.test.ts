/** The wiring of the generated stack: each function's trigger, the Config rule, the queues, the topic. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../../../bench/bundle/zip.js';
import { WATCHED_CALLS } from '../../../shared/events/cloudTrail.js';
import type { Json, Template } from './cfn.js';
import { generatedTemplate, infraTemplate, SERVERLESS_DIR } from './cfn.js';

/** The API calls that can break replication, as onConfigChange's event parser knows them (the contract). */
const CHANGE_EVENTS = Object.fromEntries(
  Object.entries(WATCHED_CALLS).map(([service, names]) => [`${service}.amazonaws.com`, names]),
);

const FUNCTIONS = [
  'evaluateBucket',
  'onConfigChange',
  'onReplicationFailure',
  'onReplicationAlarm',
  'replicationCanary',
] as const;
const logicalId = (fn: string) => `${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`;
const arnOf = (fn: string) => ({ 'Fn::GetAtt': [logicalId(fn), 'Arn'] });

let t: Template;
const ofType = (type: string): [string, Json][] =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type) as [string, Json][];
/** Rules of the default bus targeting `fn` (Organization mode's central bus rules: organization.test.ts). */
const rulesTargeting = (fn: string): Json[] =>
  ofType('AWS::Events::Rule')
    .map(([, r]) => r)
    .filter((r) => r.Properties.EventBusName === undefined)
    .filter((r) =>
      r.Properties.Targets.some((x: Json) => JSON.stringify(x.Arn) === JSON.stringify(arnOf(fn))),
    );

beforeAll(() => {
  t = generatedTemplate();
}, 300_000);

describe('functions', () => {
  it.each(FUNCTIONS)('%s runs the bundled ESM handler on nodejs22.x with its own role', (fn) => {
    const p = t.Resources[logicalId(fn)]!.Properties;
    expect(p).toMatchObject({
      Runtime: 'nodejs22.x',
      Handler: `functions/${fn}.handler`,
      FunctionName: `replguard-dev-${fn}`,
    });
    expect(p.Role).toEqual({ 'Fn::GetAtt': [`${fn[0]!.toUpperCase()}${fn.slice(1)}Role`, 'Arn'] });
    expect(existsSync(join(SERVERLESS_DIR, `${fn}.zip`))).toBe(true);
  });

  it.each(FUNCTIONS)(
    '%s is packaged alone: its ESM bundle, source map and third-party notices, nothing else',
    (fn) => {
      const names = readZip(readFileSync(join(SERVERLESS_DIR, `${fn}.zip`))).map((e) => e.name);
      expect(names.sort()).toEqual([
        'THIRD_PARTY_LICENSES',
        `functions/${fn}.mjs`,
        `functions/${fn}.mjs.map`,
      ]);
    },
  );

  it.each(FUNCTIONS)(
    '%s gets the scan parameters from the stack parameters, as `osls invoke local` gets their defaults',
    (fn) => {
      const deployed = t.Resources[logicalId(fn)]!.Properties.Environment.Variables as Record<string, Json>;
      const state = JSON.parse(readFileSync(join(SERVERLESS_DIR, 'serverless-state.json'), 'utf8'));
      const local = state.service.provider.environment as Record<string, string>;
      // what the stack creates (topics, queues) is not in `osls invoke local`'s environment
      const created = [
        'REPLGUARD_FINDINGS_TOPIC_ARN',
        'REPLGUARD_CHAT_TOPIC_ARN',
        'REPLGUARD_PAGERDUTY_DLQ_URL',
        // the Organization-wide edge index, for the functions that read or rebuild it
        ...(['evaluateBucket', 'onConfigChange'].includes(fn) ? ['REPLGUARD_EDGES_TABLE'] : []),
      ];
      expect(Object.keys(deployed).sort()).toEqual([...Object.keys(local), ...created].sort());
      expect(deployed.REPLGUARD_FINDINGS_TOPIC_ARN).toEqual({ Ref: 'FindingsTopic' });
      for (const [name, value] of Object.entries(local)) {
        const d = deployed[name];
        expect(typeof d === 'object' ? String(t.Parameters[d.Ref].Default) : d, name).toBe(String(value));
      }
    },
  );

  it('gives every function a different role', () => {
    const roles = FUNCTIONS.map((fn) => JSON.stringify(t.Resources[logicalId(fn)]!.Properties.Role));
    expect(new Set(roles).size).toBe(FUNCTIONS.length);
  });

  it('configures the asynchronous ones to send failed events to the failed-events queue', () => {
    for (const fn of ['evaluateBucket', 'onConfigChange', 'onReplicationAlarm', 'replicationCanary']) {
      const [, conf] = ofType('AWS::Lambda::EventInvokeConfig').find(([, r]) =>
        JSON.stringify(r.Properties.FunctionName).includes(logicalId(fn)),
      )!;
      expect(conf.Properties.DestinationConfig.OnFailure.Destination).toEqual({
        'Fn::GetAtt': ['AsyncFailuresQueue', 'Arn'],
      });
    }
  });
});

describe('evaluateBucket: the AWS Config custom rule', () => {
  const rule = () => ofType('AWS::Config::ConfigRule')[0]![1].Properties;

  it('is a CUSTOM_LAMBDA rule on evaluateBucket, scoped to S3 buckets', () => {
    expect(ofType('AWS::Config::ConfigRule')).toHaveLength(1);
    expect(rule().Source).toMatchObject({
      Owner: 'CUSTOM_LAMBDA',
      SourceIdentifier: arnOf('evaluateBucket'),
    });
    expect(rule().Scope).toEqual({ ComplianceResourceTypes: ['AWS::S3::Bucket'] });
  });

  it('runs on changes, oversized changes and a schedule (24 hours by default)', () => {
    const details = rule().Source.SourceDetails as Json[];
    expect(details.map((d) => d.MessageType).sort()).toEqual([
      'ConfigurationItemChangeNotification',
      'OversizedConfigurationItemChangeNotification',
      'ScheduledNotification',
    ]);
    for (const d of details) expect(d.EventSource).toBe('aws.config');
    expect(details.find((d) => d.MessageType === 'ScheduledNotification').MaximumExecutionFrequency).toEqual({
      Ref: 'ScheduleFrequency',
    });
    expect(t.Parameters.ScheduleFrequency.Default).toBe('TwentyFour_Hours');
  });

  it('passes the stack parameters as rule parameters', () => {
    expect(rule().InputParameters).toEqual({
      scopeTagKey: { Ref: 'ScopeTagKey' },
      scopeTagValue: { Ref: 'ScopeTagValue' },
      requireCrossRegion: { Ref: 'RequireCrossRegion' },
      requireRtc: { Ref: 'RequireRtc' },
      crossAccountRoleName: { Ref: 'CrossAccountRoleName' },
      objectSampleSize: { Ref: 'ObjectSampleSize' },
    });
  });

  it('lets Config of this account invoke the function, before the rule is created', () => {
    const [name, permission] = ofType('AWS::Lambda::Permission').find(
      ([, r]) => r.Properties.Principal === 'config.amazonaws.com',
    )!;
    expect(permission.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf('evaluateBucket'),
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    expect([ofType('AWS::Config::ConfigRule')[0]![1].DependsOn].flat()).toContain(name);
  });
});

describe('onConfigChange: CloudTrail API calls through EventBridge', () => {
  it.each(Object.entries(CHANGE_EVENTS))(
    'matches exactly the %s calls that can break replication',
    (source, names) => {
      const rules = rulesTargeting('onConfigChange').filter(
        (r) => r.Properties.EventPattern.detail.eventSource[0] === source,
      );
      expect(rules).toHaveLength(1);
      const pattern = rules[0].Properties.EventPattern;
      expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
      expect(pattern.source).toEqual([`aws.${source.split('.')[0]}`]);
      expect([...pattern.detail.eventName].sort()).toEqual([...names].sort());
    },
  );

  it('retries and keeps what still fails in the failed-events queue', () => {
    for (const rule of rulesTargeting('onConfigChange')) {
      const [target] = rule.Properties.Targets;
      expect(target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['AsyncFailuresQueue', 'Arn'] });
      expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    }
  });

  it('has a us-east-1 forwarder for IAM events with the same event names', () => {
    const forwarder = infraTemplate('iam-events-forwarder.yml');
    const [, rule] = Object.entries(forwarder.Resources).find(([, r]) => r.Type === 'AWS::Events::Rule')!;
    const iam = rulesTargeting('onConfigChange').find(
      (r) => r.Properties.EventPattern.source[0] === 'aws.iam',
    );
    expect(rule.Properties.EventPattern).toEqual(iam.Properties.EventPattern);
    expect(rule.Properties.Targets[0].Arn).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:events:${TargetRegion}:${AWS::AccountId}:event-bus/default',
    });
  });
});

describe('onReplicationAlarm: CloudWatch alarm state changes', () => {
  it('only sees alarms on the AWS/S3 replication metrics', () => {
    const rules = rulesTargeting('onReplicationAlarm');
    expect(rules).toHaveLength(1);
    const pattern = rules[0].Properties.EventPattern;
    expect(pattern).toMatchObject({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
    });
    expect(pattern.detail.configuration.metrics.metricStat.metric).toEqual({
      namespace: ['AWS/S3'],
      name: [
        'BytesPendingReplication',
        'OperationsPendingReplication',
        'ReplicationLatency',
        'OperationsFailedReplication',
      ],
    });
  });
});

describe('onReplicationFailure: the replication events queue', () => {
  const queue = () => t.Resources.ReplicationEventsQueue!.Properties;

  it('consumes the queue in batches and reports partial batch failures', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);
    expect(mappings).toHaveLength(1);
    expect(mappings[0]).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['ReplicationEventsQueue', 'Arn'] },
      FunctionName: arnOf('onReplicationFailure'),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(mappings[0].BatchSize).toBeGreaterThan(1);
  });

  it('redrives messages that keep failing to the dead-letter queue', () => {
    expect(queue().RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['ReplicationEventsDLQ', 'Arn'] },
      maxReceiveCount: expect.any(Number),
    });
    expect(queue().RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(3);
    expect(t.Resources.ReplicationEventsDLQAlarm!.Properties.AlarmActions).toEqual([
      { Ref: 'FindingsTopic' },
    ]);
  });

  it('keeps messages invisible for at least six times the function timeout', () => {
    const timeout = t.Resources[logicalId('onReplicationFailure')]!.Properties.Timeout as number;
    expect(queue().VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it.each(['ReplicationEventsQueue', 'ReplicationEventsDLQ', 'AsyncFailuresQueue'])(
    'encrypts %s with the ReplGuard key',
    (q) => {
      expect(t.Resources[q]!.Properties.KmsMasterKeyId).toEqual({ Ref: 'ReplGuardKey' });
    },
  );

  it('lets S3 of the configured source accounts, and only S3, send to it', () => {
    const [statement] = t.Resources.ReplicationEventsQueuePolicy!.Properties.PolicyDocument.Statement;
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': ['ReplicationEventsQueue', 'Arn'] },
    });
    expect(statement.Condition.StringEquals['aws:SourceAccount']['Fn::If'][0]).toBe('HasSourceAccounts');
    expect(JSON.stringify(statement.Condition.StringEquals['aws:SourceAccount'])).toContain(
      'SourceAccountIds',
    );
    expect(statement.Condition.ArnLike['aws:SourceArn']).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:s3:::*',
    });
  });
});

describe('replicationCanary: the scheduled replication canary', () => {
  it('runs on the CanaryRate schedule, switched by CanaryEnabled (on, every 15 minutes by default)', () => {
    const rules = rulesTargeting('replicationCanary');
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties).toMatchObject({
      ScheduleExpression: { Ref: 'CanaryRate' },
      State: { 'Fn::If': ['CanaryOn', 'ENABLED', 'DISABLED'] },
    });
    expect(t.Conditions.CanaryOn).toEqual({ 'Fn::Equals': [{ Ref: 'CanaryEnabled' }, 'true'] });
    expect(t.Parameters.CanaryEnabled).toMatchObject({ Default: 'true', AllowedValues: ['true', 'false'] });
    expect(t.Parameters.CanaryRate.Default).toBe('rate(15 minutes)');
    expect(new RegExp(t.Parameters.CanaryRate.AllowedPattern).test('cron(0/15 * * * ? *)')).toBe(true);
  });

  it('passes the maximum Object Lock retention (1 day by default) to the function', () => {
    expect(t.Parameters.CanaryMaxRetentionDays).toMatchObject({ Type: 'Number', Default: 1, MinValue: 0 });
    expect(
      t.Resources.ReplicationCanaryLambdaFunction!.Properties.Environment.Variables
        .REPLGUARD_CANARY_MAX_RETENTION_DAYS,
    ).toEqual({ Ref: 'CanaryMaxRetentionDays' });
  });

  it('is not retried (the next run judges what a failed one left)', () => {
    const [, conf] = ofType('AWS::Lambda::EventInvokeConfig').find(([, r]) =>
      JSON.stringify(r.Properties.FunctionName).includes(logicalId('replicationCanary')),
    )!;
    expect(conf.Properties.MaximumRetryAttempts).toBe(0);
  });
});

describe('findings topic', () => {
  it('is encrypted with a rotated customer managed key', () => {
    expect(t.Resources.FindingsTopic!.Properties.KmsMasterKeyId).toEqual({ Ref: 'ReplGuardKey' });
    expect(t.Resources.ReplGuardKey!.Properties.EnableKeyRotation).toBe(true);
  });

  it('has a key policy that lets SNS, EventBridge and CloudWatch encrypt with it', () => {
    const statements = t.Resources.ReplGuardKey!.Properties.KeyPolicy.Statement as Json[];
    const services = statements.flatMap((s) => [s.Principal?.Service ?? []].flat());
    expect(services).toEqual(
      expect.arrayContaining(['sns.amazonaws.com', 'events.amazonaws.com', 'cloudwatch.amazonaws.com']),
    );
  });

  it("subscribes e-mail when given, and no longer feeds PagerDuty's CloudWatch integration (it drops the alerts)", () => {
    expect(t.Resources.AlertEmailSubscription).toMatchObject({
      Condition: 'HasAlertEmail',
      Properties: { Protocol: 'email' },
    });
    expect(Object.values(t.Resources).filter((r) => r.Type === 'AWS::SNS::Subscription')).toHaveLength(1);
  });

  it('refuses the removed PagerDutyEndpoint parameter, naming what to use instead', () => {
    expect(t.Parameters.PagerDutyEndpoint).toMatchObject({ AllowedPattern: '^$' });
    expect(t.Parameters.PagerDutyEndpoint.ConstraintDescription).toContain('PagerDutySecretArn');
  });
});

describe('PagerDuty and chat', () => {
  const env = () => t.Resources.OnReplicationFailureLambdaFunction!.Properties.Environment.Variables;

  it('gives the functions the routing key secret, the paging severities and the dead-letter queue', () => {
    expect(env()).toMatchObject({
      REPLGUARD_PAGERDUTY_SECRET_ARN: { Ref: 'PagerDutySecretArn' },
      REPLGUARD_PAGERDUTY_SEVERITIES: { Ref: 'PagerDutySeverities' },
      REPLGUARD_PAGERDUTY_DLQ_URL: { 'Fn::If': ['HasPagerDuty', { Ref: 'PagerDutyDLQ' }, ''] },
    });
    expect(t.Parameters.PagerDutySeverities.Default).toBe('CRITICAL,HIGH');
    expect(t.Parameters.PagerDutySecretArn.NoEcho).toBeUndefined(); // an ARN, not the key: the key never is in the template
  });

  it('keeps what PagerDuty refuses in an encrypted dead-letter queue with an alarm', () => {
    expect(t.Resources.PagerDutyDLQ).toMatchObject({
      Condition: 'HasPagerDuty',
      Properties: { KmsMasterKeyId: { Ref: 'ReplGuardKey' } },
    });
    expect(t.Resources.PagerDutyDLQAlarm).toMatchObject({
      Condition: 'HasPagerDuty',
      Properties: {
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: 'FindingsTopic' }],
      },
    });
  });

  it('sends chat notifications to a topic of their own when switched on, and can create the Slack channel', () => {
    expect(t.Resources.ChatTopic).toMatchObject({ Condition: 'HasChat' });
    expect(env().REPLGUARD_CHAT_TOPIC_ARN).toEqual({ 'Fn::If': ['HasChat', { Ref: 'ChatTopic' }, ''] });
    expect(t.Resources.SlackChannel).toMatchObject({
      Type: 'AWS::Chatbot::SlackChannelConfiguration',
      Condition: 'HasSlack',
      Properties: { SnsTopicArns: [{ Ref: 'ChatTopic' }], LoggingLevel: 'ERROR' },
    });
    // notifications only: the channel can run nothing
    expect(JSON.stringify(t.Resources.SlackChannel!.Properties.GuardrailPolicies)).toContain('AWSDenyAll');
    expect(t.Resources.ChatbotRole!.Properties.Policies).toBeUndefined();
  });
});

describe('parameters and outputs', () => {
  it.each([
    'Stage',
    'ScopeTagKey',
    'ScopeTagValue',
    'RequireCrossRegion',
    'RequireRtc',
    'CrossAccountRoleName',
    'AlertEmail',
    'PagerDutyEndpoint',
    'PagerDutySecretArn',
    'PagerDutySeverities',
    'ChatNotifications',
    'SlackWorkspaceId',
    'SlackChannelId',
    'SecurityHubFindings',
    'RuntimeQuietMinutes',
    'ExceptionsParameterName',
    'SourceAccountIds',
    'OrganizationId',
    'MemberOrganizationalUnitIds',
    'MemberRegions',
    'ScheduleFrequency',
    'CanaryEnabled',
    'CanaryRate',
    'CanaryMaxRetentionDays',
  ])('has the %s parameter', (name) => {
    expect(t.Parameters[name]).toBeDefined();
  });

  it('uses every parameter but the removed PagerDutyEndpoint (cfn-lint W2001 is ignored for it alone)', () => {
    const used = JSON.stringify([t.Resources, t.Conditions, t.Outputs]);
    const unused = Object.keys(t.Parameters).filter(
      (name) => !used.includes(`"Ref":"${name}"`) && !used.includes(`\${${name}}`),
    );
    expect(unused).toEqual(['PagerDutyEndpoint']);
  });

  it('outputs the topic, the queue for bucket notifications and the Config rule name', () => {
    expect(t.Outputs.FindingsTopicArn.Value).toEqual({ Ref: 'FindingsTopic' });
    expect(t.Outputs.ReplicationEventsQueueArn.Value).toEqual({
      'Fn::GetAtt': ['ReplicationEventsQueue', 'Arn'],
    });
    expect(t.Outputs.ConfigRuleName.Value).toEqual({ Ref: 'ReplicationConfigRule' });
  });
});
