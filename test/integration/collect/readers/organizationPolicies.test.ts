import { beforeAll, describe, expect, inject, it } from 'vitest';
import { CallCounter } from '../../../../shared/aws/callCounter.js';
import {
  readAccountOrganization,
  readOrganizationPolicies,
} from '../../../../shared/collect/readers/organizationPolicies.js';
import type { AccountOrganization } from '../../../../shared/model/organization.js';
import { testAccount } from '../../../emulator/accounts.js';
import { type Scenario, scenario } from '../../../scenarios/builder.js';
import {
  attachControlPolicy,
  createMemberAccount,
  createOrganization,
  createOu,
  type OrganizationHandle,
} from '../../../scenarios/builder/organization.js';

const endpoint = inject('emulatorEndpoint');

const DENY_DECRYPT = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'DenyDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }],
};
const DENY_OUTSIDERS = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'OnlyOurOrganization',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-example' } },
    },
  ],
};

const member = (datum: { known: boolean; value?: AccountOrganization }) =>
  datum.known && datum.value?.member ? datum.value : undefined;

describe('readAccountOrganization (the central account reads the Organization)', () => {
  let env: Scenario;
  let org: OrganizationHandle;
  let ou: string;
  let first: string;
  let second: string;
  let scpId: string;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount(import.meta.url) });
    org = await createOrganization(endpoint, env.home);
    ou = await createOu(org, 'Clinical');
    [first, second] = await Promise.all([
      createMemberAccount(org, 'clinical-a', ou),
      createMemberAccount(org, 'clinical-b', ou),
    ]);
    scpId = await attachControlPolicy(org, {
      name: 'DenyDecrypt',
      type: 'SERVICE_CONTROL_POLICY',
      document: DENY_DECRYPT,
      targetId: ou,
    });
    await attachControlPolicy(org, {
      name: 'OnlyOurOrganization',
      type: 'RESOURCE_CONTROL_POLICY',
      document: DENY_OUTSIDERS,
      targetId: second as string,
    });
  });

  it('reads the path root → OU → account with the SCPs and RCPs attached at each level', async () => {
    const datum = await readAccountOrganization(env.session(), first);
    const value = member(datum);
    expect(value).toMatchObject({ organizationId: org.id, managementAccountId: env.home });
    expect(value?.levels.map((l) => l.target)).toEqual([
      { type: 'ROOT', id: org.rootId },
      { type: 'ORGANIZATIONAL_UNIT', id: ou, name: 'Clinical' },
      { type: 'ACCOUNT', id: first },
    ]);
    const [root, unit] = value?.levels ?? [];
    expect(root?.scps.map((p) => p.name)).toEqual(['FullAWSAccess']);
    expect(root?.rcps.map((p) => p.name)).toEqual(['RCPFullAWSAccess']);
    expect(unit?.scps.map((p) => [p.id, p.name])).toContainEqual([scpId, 'DenyDecrypt']);
    expect(unit?.scps.find((p) => p.id === scpId)?.document).toEqual(DENY_DECRYPT);
  });

  it('reads a shared OU, the root and each policy once per scan, however many accounts share them', async () => {
    const counter = new CallCounter();
    const session = env.session({ counter });
    await readOrganizationPolicies(session, [first, second, first]);
    const once = counter.snapshot();
    expect(once).toEqual({
      'ORGANIZATIONS:DescribeOrganization': 1,
      'ORGANIZATIONS:DescribeOrganizationalUnit': 1,
      // each account, then the OU once (the root has no parent to ask for)
      'ORGANIZATIONS:ListParents': 3,
      // SCPs and RCPs of the root, the OU and both accounts
      'ORGANIZATIONS:ListPoliciesForTarget': 8,
      // FullAWSAccess, RCPFullAWSAccess, DenyDecrypt, OnlyOurOrganization
      'ORGANIZATIONS:DescribePolicy': 4,
    });
    await readOrganizationPolicies(session, [second, first]);
    expect(counter.snapshot()).toEqual(once);
  });

  it('knows the management account (SCPs and RCPs do not restrict it) as a member', async () => {
    const value = member(await readAccountOrganization(env.session(), env.home));
    expect(value?.accountId).toBe(value?.managementAccountId);
    expect(value?.levels.map((l) => l.target.type)).toEqual(['ROOT', 'ACCOUNT']);
  });

  it('says an account outside the Organization has none (AccountNotFoundException)', async () => {
    const outsider = env.peer('outsider');
    expect(await readAccountOrganization(env.session(), outsider)).toEqual({
      known: true,
      source: 'api',
      value: {
        member: false,
        accountId: outsider,
        reason: `account ${outsider} is not in Organization ${org.id}`,
      },
    });
  });

  it('says none apply when Organizations is not in use (AWSOrganizationsNotInUseException)', async () => {
    const alone = await scenario(endpoint, {
      account: testAccount('integration/collect/readers/organizationPolicies/alone'),
    });
    const datum = await readAccountOrganization(alone.session(), alone.home);
    expect(datum).toMatchObject({ known: true, value: { member: false } });
  });

  it.each([
    ['ORGANIZATIONS:DescribeOrganization', 'organizations:DescribeOrganization'],
    ['ORGANIZATIONS:ListParents', 'organizations:ListParents'],
    ['ORGANIZATIONS:ListPoliciesForTarget', 'organizations:ListPoliciesForTarget'],
    ['ORGANIZATIONS:DescribePolicy', 'organizations:DescribePolicy'],
  ])('is unknown, naming the permission, when %s is denied', async (call, permission) => {
    const datum = await readAccountOrganization(env.session({ deny: [call] }), first);
    expect(datum).toMatchObject({ known: false, permission });
  });
});
