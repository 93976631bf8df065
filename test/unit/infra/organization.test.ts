/**
 * Organization mode: the central stack (infra/stack/organization.yml, under IsOrganization) and the member
 * template its StackSet deploys (infra/member-account.yml): one event pattern per watched event in all three
 * places, a bus only the Organization may put events on, a queue only the Organization's S3 may send to, the
 * role in one Region, and a forwarding role that can do one thing.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Json, Template } from './cfn.js';
import { generatedTemplate, infraTemplate, packagedVariant, ROOT } from './cfn.js';

const require = createRequire(import.meta.url);
const templates = require('../../../infra/templates.cjs') as {
  memberTemplateBody: (options?: {
    resolveVariable?: (name: string) => Promise<string | undefined>;
  }) => Promise<string>;
  TEMPLATE_BODY_MAX_BYTES: number;
};

const ORG_ID = 'o-a1b2c3d4e5';
const ASYNC_FAILURES = { 'Fn::GetAtt': ['AsyncFailuresQueue', 'Arn'] };
const functionArn = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

let t: Template;
const member = (): Template => infraTemplate('member-account.yml');
const rules = (template: Template): [string, Json][] =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Events::Rule') as [string, Json][];
/** The rules of the stack's default bus (serverless.yml's own) and of the central bus, by their target. */
const stackRules = (bus: 'default' | 'central', target: string): Json[] =>
  rules(t)
    .map(([, r]) => r)
    .filter((r) => (bus === 'central') === (r.Properties.EventBusName !== undefined))
    .filter((r) =>
      r.Properties.Targets.some((x: Json) => JSON.stringify(x.Arn) === JSON.stringify(functionArn(target))),
    );
const patterns = (rs: Json[]): Json[] =>
  rs.map((r) => r.Properties.EventPattern).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

beforeAll(() => {
  t = generatedTemplate();
}, 300_000);

describe('event patterns: serverless.yml, the central bus and the member template', () => {
  const watched = () => [
    ...stackRules('default', 'OnConfigChangeLambdaFunction'),
    ...stackRules('default', 'OnReplicationAlarmLambdaFunction'),
  ];

  it('are the same on the central bus as on the default bus, for each function', () => {
    for (const fn of ['OnConfigChangeLambdaFunction', 'OnReplicationAlarmLambdaFunction']) {
      expect(stackRules('central', fn).length).toBeGreaterThan(0);
      expect(patterns(stackRules('central', fn))).toEqual(patterns(stackRules('default', fn)));
    }
  });

  it('are the same in the member template (S3, KMS, IAM calls and replication alarms)', () => {
    expect(watched()).toHaveLength(4);
    expect(patterns(rules(member()).map(([, r]) => r))).toEqual(patterns(watched()));
  });

  it('forward IAM calls only where CloudTrail delivers them (us-east-1), the others in every Region', () => {
    const m = member();
    const conditionOf = (source: string) =>
      rules(m).find(([, r]) => r.Properties.EventPattern.source[0] === source)![1].Condition;
    expect(conditionOf('aws.iam')).toBe('ForwardsIamEvents');
    for (const source of ['aws.s3', 'aws.kms', 'aws.cloudwatch'])
      expect(conditionOf(source)).toBe('ForwardsEvents');
    expect(m.Conditions.ForwardsIamEvents).toEqual({
      'Fn::And': [{ Condition: 'ForwardsEvents' }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }],
    });
  });
});

describe('the central event bus (IsOrganization)', () => {
  const bus = () => t.Resources.OrganizationEventBus!;

  it('accepts PutEvents only from principals of the Organization', () => {
    expect(bus().Condition).toBe('IsOrganization');
    expect(bus().Properties.Name).toEqual({ 'Fn::Sub': 'replguard-${Stage}-org' });
    expect(bus().Properties.Policy.Statement).toEqual([
      {
        Sid: 'OrganizationAccountsPutEvents',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: {
          'Fn::Sub':
            'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/replguard-${Stage}-org',
        },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
      },
    ]);
    expect(t.Conditions.IsOrganization).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'OrganizationId' }, ''] }],
    });
  });

  it('has rules that retry, keep what still fails in the failed-events queue and may invoke their function', () => {
    const central = rules(t).filter(([, r]) => r.Properties.EventBusName !== undefined);
    expect(central).toHaveLength(4);
    const permissions = Object.values(t.Resources).filter((r) => r.Type === 'AWS::Lambda::Permission');
    for (const [id, rule] of central) {
      expect(rule.Condition).toBe('IsOrganization');
      expect(rule.Properties.EventBusName).toEqual({ Ref: 'OrganizationEventBus' });
      const [target] = rule.Properties.Targets;
      expect(target.DeadLetterConfig.Arn).toEqual(ASYNC_FAILURES);
      expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 });
      const permission = permissions.find(
        (p) => JSON.stringify(p.Properties.SourceArn) === JSON.stringify(functionArn(id)),
      );
      expect(permission, id).toMatchObject({
        Condition: 'IsOrganization',
        Properties: { Principal: 'events.amazonaws.com', FunctionName: target.Arn },
      });
    }
  });

  it("lets the central rules' dead letters into the failed-events queue (their ARNs start rule/replguard-<stage>-)", () => {
    const [statement] = t.Resources.AsyncFailuresQueuePolicy!.Properties.PolicyDocument.Statement;
    const pattern = statement.Condition.ArnLike['aws:SourceArn']['Fn::Sub'] as string;
    expect(pattern.endsWith(':rule/replguard-${Stage}-*')).toBe(true);
    // A rule on a custom bus is rule/<bus>/<rule>; the bus is replguard-<stage>-org.
    expect(t.Resources.OrganizationEventBus!.Properties.Name['Fn::Sub']).toMatch(/^replguard-\$\{Stage\}-/);
  });

  it('is an output for the member template', () => {
    expect(t.Outputs.CentralEventBusArn).toEqual({
      Condition: 'IsOrganization',
      Description: expect.any(String),
      Value: { 'Fn::GetAtt': ['OrganizationEventBus', 'Arn'] },
    });
  });
});

describe('the member StackSet (IsOrganization)', () => {
  const stackSet = () => t.Resources.MemberStackSet!;

  it('is service-managed from the delegated administrator, auto-deployed, with managed execution', () => {
    expect(stackSet().Condition).toBe('IsOrganization');
    expect(stackSet().Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      ManagedExecution: { Active: true },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: { Ref: 'MemberOrganizationalUnitIds' } },
          Regions: { Ref: 'MemberRegions' },
        },
      ],
    });
    expect(stackSet().Properties.OperationPreferences.FailureTolerancePercentage).toBeGreaterThan(0);
  });

  it('deploys infra/member-account.yml as it is, within the 51,200-byte TemplateBody limit', async () => {
    const text = readFileSync(join(ROOT, 'infra', 'member-account.yml'), 'utf8');
    expect(stackSet().Properties.TemplateBody).toBe(text);
    expect(await templates.memberTemplateBody()).toBe(text);
    expect(templates.TEMPLATE_BODY_MAX_BYTES).toBe(51_200);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(51_200);
  });

  it('passes every parameter the member template requires, and only parameters it has', () => {
    const given = Object.fromEntries(
      (stackSet().Properties.Parameters as Json[]).map((p) => [p.ParameterKey, p.ParameterValue]),
    );
    const m = member();
    const required = Object.entries(m.Parameters)
      .filter(([, p]) => p.Default === undefined)
      .map(([name]) => name);
    for (const name of required) expect(given, name).toHaveProperty(name);
    for (const name of Object.keys(given)) expect(m.Parameters, name).toHaveProperty(name);
    expect(given).toEqual({
      ReplGuardAccountId: { Ref: 'AWS::AccountId' },
      RoleName: { Ref: 'CrossAccountRoleName' },
      CentralEventBusArn: { 'Fn::GetAtt': ['OrganizationEventBus', 'Arn'] },
      RoleRegion: { 'Fn::Select': [0, { Ref: 'MemberRegions' }] },
    });
  });
});

describe('the replication events queue', () => {
  it('accepts S3 SendMessage from buckets of the Organization only, when IsOrganization', () => {
    const statements = t.Resources.ReplicationEventsQueuePolicy!.Properties.PolicyDocument
      .Statement as Json[];
    const organization = statements.find((s) => s['Fn::If']?.[0] === 'IsOrganization');
    expect(organization['Fn::If'][2]).toEqual({ Ref: 'AWS::NoValue' });
    expect(organization['Fn::If'][1]).toEqual({
      Sid: 'S3OfTheOrganizationSendsReplicationEvents',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': ['ReplicationEventsQueue', 'Arn'] },
      Condition: {
        StringEquals: { 'aws:SourceOrgID': { Ref: 'OrganizationId' } },
        ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::*' } },
      },
    });
  });

  it('is encrypted with a key S3 of any account may use (the queue policy decides who sends)', () => {
    expect(t.Resources.ReplicationEventsQueue!.Properties.KmsMasterKeyId).toEqual({ Ref: 'ReplGuardKey' });
    const statements = t.Resources.ReplGuardKey!.Properties.KeyPolicy.Statement as Json[];
    const s3 = statements.find((s) => [s.Principal?.Service ?? []].flat().includes('s3.amazonaws.com'));
    expect(s3).toMatchObject({ Effect: 'Allow', Resource: '*' });
    expect([s3.Action].flat()).toEqual(expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']));
    // An account condition would refuse the Organization's other accounts.
    expect(s3.Condition).toBeUndefined();
  });
});

describe('the member template (infra/member-account.yml)', () => {
  it('creates the read-only role only in RoleRegion (us-east-1 by default), so Regions do not collide', () => {
    const m = member();
    expect(m.Resources.ReadOnlyRole!.Condition).toBe('CreatesRole');
    expect(m.Conditions.CreatesRole).toEqual({
      'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'RoleRegion' }],
    });
    expect(m.Parameters.RoleRegion.Default).toBe('us-east-1');
    expect(m.Outputs.RoleArn.Condition).toBe('CreatesRole');
    const named = Object.entries(m.Resources).filter(([, r]) => r.Properties?.RoleName !== undefined);
    expect(named.map(([id, r]) => [id, r.Condition])).toEqual([['ReadOnlyRole', 'CreatesRole']]);
  });

  it('forwards nothing without CentralEventBusArn, nor from the central account itself', () => {
    const m = member();
    expect(m.Parameters.CentralEventBusArn.Default).toBe('');
    expect(m.Conditions.ForwardsEvents).toEqual({
      'Fn::And': [
        { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'CentralEventBusArn' }, ''] }] },
        { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: 'ReplGuardAccountId' }] }] },
      ],
    });
    const forwarding = Object.entries(m.Resources).filter(([id]) => id.startsWith('Forward'));
    expect(forwarding).toHaveLength(5);
    for (const [id, r] of forwarding)
      expect(['ForwardsEvents', 'ForwardsIamEvents'], id).toContain(r.Condition);
  });

  it('sends each rule to the central bus with the forwarding role', () => {
    for (const [id, rule] of rules(member())) {
      expect(rule.Properties.Targets, id).toEqual([
        {
          Id: 'replguard-central-bus',
          Arn: { Ref: 'CentralEventBusArn' },
          RoleArn: { 'Fn::GetAtt': ['ForwardEventsRole', 'Arn'] },
        },
      ]);
    }
  });

  it('gives the forwarding role events:PutEvents on that bus only, trusted by EventBridge of this account', () => {
    const role = member().Resources.ForwardEventsRole!.Properties;
    expect(role.Policies).toHaveLength(1);
    expect(role.Policies[0].PolicyDocument.Statement).toEqual([
      {
        Sid: 'PutEventsOnCentralBus',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: { Ref: 'CentralEventBusArn' },
      },
    ]);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  it('takes only an event bus ARN (or nothing) as CentralEventBusArn', () => {
    const pattern = new RegExp(member().Parameters.CentralEventBusArn.AllowedPattern);
    expect(pattern.test('')).toBe(true);
    expect(pattern.test('arn:aws:events:us-east-1:123456789012:event-bus/replguard-prod-org')).toBe(true);
    expect(pattern.test('arn:aws:events:us-east-1:123456789012:event-bus/*')).toBe(false);
    expect(pattern.test('arn:aws:sqs:us-east-1:123456789012:queue')).toBe(false);
  });
});

describe('packaging the central deployment', () => {
  it("packages with organizationId, the member OUs and Regions as the parameters' defaults", () => {
    const org = packagedVariant([
      '--stage',
      'org',
      `--param=organizationId=${ORG_ID}`,
      '--param=memberOrganizationalUnitIds=r-ab12,ou-ab12-11111111',
      '--param=memberRegions=us-east-1,us-west-2',
    ]);
    expect(org.Parameters.OrganizationId.Default).toBe(ORG_ID);
    expect(org.Parameters.MemberOrganizationalUnitIds.Default).toBe('r-ab12,ou-ab12-11111111');
    expect(org.Parameters.MemberRegions.Default).toBe('us-east-1,us-west-2');
    expect(org.Resources.MemberStackSet!.Properties.StackSetName).toEqual({
      'Fn::Sub': 'replguard-${Stage}-member',
    });
    expect(org.Parameters.Stage.Default).toBe('org');
  }, 300_000);

  it.each([
    [{ memberRegions: 'us-east-1' }, /memberOrganizationalUnitIds is empty/],
    [{ memberOrganizationalUnitIds: 'r-ab12' }, /memberRegions is empty/],
    [
      { memberOrganizationalUnitIds: 'r-ab12', memberRegions: 'eu-west-1,eu-central-1' },
      /memberRegions \(eu-west-1,eu-central-1\) has no us-east-1, where IAM events arrive/,
    ],
  ])('refuses organizationId with %o, saying what to add', async (params, message) => {
    const values: Record<string, string> = { organizationId: ORG_ID, ...params };
    const resolveVariable = async (name: string) => values[name.replace(/^param:/, '')];
    await expect(templates.memberTemplateBody({ resolveVariable })).rejects.toThrow(message);
  });

  it('packages the member template when its Regions include us-east-1', async () => {
    const values: Record<string, string> = {
      organizationId: ORG_ID,
      memberOrganizationalUnitIds: 'r-ab12',
      memberRegions: 'eu-west-1, us-east-1',
    };
    const resolveVariable = async (name: string) => values[name.replace(/^param:/, '')];
    expect(await templates.memberTemplateBody({ resolveVariable })).toContain('AWSTemplateFormatVersion');
  });

  it('refuses organizationId without the OUs to deploy the member template to, naming the parameter', () => {
    expect(() => packagedVariant(['--stage', 'org', `--param=organizationId=${ORG_ID}`])).toThrow(
      /memberOrganizationalUnitIds is empty: add --param="memberOrganizationalUnitIds=/,
    );
  }, 300_000);
});
