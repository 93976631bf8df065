import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readRole } from '../../../../shared/collect/readers/iam.js';
import { testAccount } from '../../../emulator/accounts.js';
import { type RoleHandle, type Scenario, scenario } from '../../../scenarios/builder.js';
import { readOnlyPolicy, s3TrustPolicy, tlsOnlyPolicy } from '../../../scenarios/builder/policies.js';

const endpoint = inject('emulatorEndpoint');

describe('readRole', () => {
  let env: Scenario;
  let role: RoleHandle;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/readers/iam') });
    role = await env.role({
      name: 'phi-replication',
      path: '/service-role/',
      trust: s3TrustPolicy(),
      inline: { 'source-read': tlsOnlyPolicy('phi-a'), 'destination-write': tlsOnlyPolicy('phi-b') },
      managed: { kms: readOnlyPolicy() },
      boundary: readOnlyPolicy(),
    });
  });

  it('reads trust, inline policies, managed policies (default version) and the boundary', async () => {
    const datum = await readRole(env.session(), role.arn);
    expect(datum.known).toBe(true);
    const info = datum.known ? datum.value : null;
    expect(info).toMatchObject({
      arn: role.arn,
      name: 'phi-replication',
      accountId: env.home,
      trustPolicy: s3TrustPolicy(),
    });
    expect(info?.inlinePolicies.map((p) => p.name).sort()).toEqual(['destination-write', 'source-read']);
    expect(info?.inlinePolicies.find((p) => p.name === 'source-read')?.document).toEqual(
      tlsOnlyPolicy('phi-a'),
    );
    expect(info?.managedPolicies).toEqual([
      {
        name: 'phi-replication-kms',
        arn: `arn:aws:iam::${env.home}:policy/phi-replication-kms`,
        document: readOnlyPolicy(),
      },
    ]);
    expect(info?.permissionsBoundary).toEqual({
      name: 'phi-replication-boundary',
      arn: `arn:aws:iam::${env.home}:policy/phi-replication-boundary`,
      document: readOnlyPolicy(),
    });
  });

  it('is known(null) when the role does not exist', async () => {
    expect(await readRole(env.session(), `arn:aws:iam::${env.home}:role/deleted-role`)).toEqual({
      known: true,
      value: null,
      source: 'api',
    });
  });

  it.each([
    ['IAM:GetRole', 'iam:GetRole'],
    ['IAM:ListRolePolicies', 'iam:ListRolePolicies'],
    ['IAM:GetRolePolicy', 'iam:GetRolePolicy'],
    ['IAM:ListAttachedRolePolicies', 'iam:ListAttachedRolePolicies'],
    ['IAM:GetPolicyVersion', 'iam:GetPolicyVersion'],
  ])('is unknown naming %s when that call is denied, never a partial role', async (call, permission) => {
    const datum = await readRole(env.session({ deny: [call] }), role.arn);
    expect(datum).toEqual({
      known: false,
      reason: `AccessDenied on ${permission}`,
      permission,
      source: 'api',
    });
  });

  it('reads a role once per scan, and a managed policy shared by two roles once', async () => {
    const second = await env.role({
      name: 'phi-replication-2',
      trust: s3TrustPolicy(),
      attach: role.policyArns.slice(0, 1),
    });
    const session = env.session();
    await Promise.all([
      readRole(session, role.arn),
      readRole(session, role.arn),
      readRole(session, second.arn),
    ]);
    const calls = session.factory.counter.snapshot();
    expect(calls['IAM:GetRole']).toBe(2);
    expect(calls['IAM:GetPolicy']).toBe(2); // the shared managed policy once, the boundary once
  });
});
