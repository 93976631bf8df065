import { describe, expect, it } from 'vitest';
import { known, unknown } from '../../../shared/model/datum.js';
import type { AccountOrganization, OrgLevel, OrgPolicy } from '../../../shared/model/organization.js';
import type { PolicyDocument, Snapshot } from '../../../shared/model/snapshot.js';
import { notEvaluatedSentence, withOrganization } from '../../../shared/policy/organization.js';
import { kmsRequests, rolePrincipalOf, trustRequest } from '../../../shared/policy/replication.js';
import { destinationPolicyAllowsRole } from '../../../shared/rules/destination_policy_allows_role.js';
import { kmsDestinationEncryptAllowed } from '../../../shared/rules/kms_destination_encrypt_allowed.js';
import { kmsSourceDecryptAllowed } from '../../../shared/rules/kms_source_decrypt_allowed.js';
import { roleDestinationPermissions } from '../../../shared/rules/role_destination_permissions.js';
import { roleSourcePermissions } from '../../../shared/rules/role_source_permissions.js';
import { roleTrustsS3 } from '../../../shared/rules/role_trusts_s3.js';
import type { Rule, RuleResult } from '../../../shared/rules/types.js';
import {
  DST_ACCOUNT,
  DST_REGION,
  healthySnapshot,
  ROLE_ARN,
  SRC_ACCOUNT,
  SRC_REGION,
  variant,
} from '../../fixtures/snapshots.js';

const ORG = 'o-exampleorg1';
const MANAGEMENT = '999999999999';
const ROOT = 'r-ab12';
const OU = 'ou-ab12-clinical';

const FULL_SCP: OrgPolicy = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};
const FULL_RCP: OrgPolicy = {
  id: 'p-RCPFullAWSAccess',
  name: 'RCPFullAWSAccess',
  document: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
  },
};

/** KMS pinned to one Region: what a data-residency SCP usually says. */
const pinKms = (region: string, actions: string[]): OrgPolicy => ({
  id: 'p-pinkms01',
  name: 'PinKmsRegion',
  document: {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyKmsOutsideRegion',
        Effect: 'Deny',
        Action: actions,
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': region } },
      },
    ],
  },
});

/** The data perimeter RCP AWS documents: only principals of the Organization (and AWS services). */
const PERIMETER: OrgPolicy = {
  id: 'p-perimeter1',
  name: 'DataPerimeter',
  document: {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EnforceOrgIdentities',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*', 'kms:*', 'sts:AssumeRole'],
        Resource: '*',
        Condition: {
          StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      },
    ],
  },
};

const level = (
  type: OrgLevel['target']['type'],
  id: string,
  scps: OrgPolicy[],
  rcps: OrgPolicy[],
  name?: string,
): OrgLevel => ({
  target: { type, id, ...(name ? { name } : {}) },
  scps,
  rcps,
});

/** An account in the Organization, in the Clinical OU, with `ou` and `account` policies beside the defaults. */
const inOrg = (
  accountId: string,
  extra: { ouScps?: OrgPolicy[]; accountRcps?: OrgPolicy[]; rootScps?: OrgPolicy[] } = {},
): AccountOrganization => ({
  member: true,
  accountId,
  organizationId: ORG,
  managementAccountId: MANAGEMENT,
  levels: [
    level('ROOT', ROOT, extra.rootScps ?? [FULL_SCP], [FULL_RCP]),
    level('ORGANIZATIONAL_UNIT', OU, [FULL_SCP, ...(extra.ouScps ?? [])], [FULL_RCP], 'Clinical'),
    level('ACCOUNT', accountId, [FULL_SCP], [FULL_RCP, ...(extra.accountRcps ?? [])]),
  ],
});
const outside = (accountId: string): AccountOrganization => ({
  member: false,
  accountId,
  reason: `account ${accountId} is not in Organization ${ORG}`,
});

const withOrg = (accounts: Record<string, AccountOrganization | ReturnType<typeof unknown>>): Snapshot =>
  variant((s) => {
    (s as { organization?: Snapshot['organization'] }).organization = Object.fromEntries(
      Object.entries(accounts).map(([id, a]) => [id, 'known' in a ? a : known(a)]),
    );
  });

const only = (rule: Rule, snapshot: Snapshot): RuleResult => {
  const [result, ...rest] = rule.evaluate(snapshot);
  expect(rest).toEqual([]);
  return result as RuleResult;
};

describe('SCPs of the replication role account', () => {
  it('fail kms_source_decrypt_allowed when an OU pins kms:Decrypt to another Region, naming policy, target and statement', () => {
    const snapshot = withOrg({
      [SRC_ACCOUNT]: inOrg(SRC_ACCOUNT, { ouScps: [pinKms(DST_REGION, ['kms:Decrypt'])] }),
      [DST_ACCOUNT]: outside(DST_ACCOUNT),
    });
    const result = only(kmsSourceDecryptAllowed, snapshot);
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.message).toContain(
      'explicitly denied by the SCPs of account 111111111111 (SCP PinKmsRegion (p-pinkms01) attached to OU ou-ab12-clinical (Clinical): DenyKmsOutsideRegion)',
    );
    expect(result.changes).toEqual([
      expect.objectContaining({
        kind: 'decision',
        accountId: SRC_ACCOUNT,
        text: expect.stringContaining('ReplGuard never edits Organization policies'),
      }),
    ]);
    expect(result.remediation).toContain(`management account ${MANAGEMENT}`);
  });

  it('let the source decrypt (in its own Region) but fail the replica key (used in the destination Region)', () => {
    const snapshot = withOrg({
      [SRC_ACCOUNT]: inOrg(SRC_ACCOUNT, {
        ouScps: [pinKms(SRC_REGION, ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'])],
      }),
      [DST_ACCOUNT]: outside(DST_ACCOUNT),
    });
    expect(only(kmsSourceDecryptAllowed, snapshot).status).toBe('COMPLIANT');
    const replica = only(kmsDestinationEncryptAllowed, snapshot);
    expect(replica.status).toBe('NON_COMPLIANT');
    expect(replica.message).toContain('kms:Encrypt, kms:GenerateDataKey on arn:aws:kms:us-west-2');
    expect(replica.message).toContain(
      'PinKmsRegion (p-pinkms01) attached to OU ou-ab12-clinical (Clinical): DenyKmsOutsideRegion',
    );
  });

  it('do not restrict the management account', () => {
    const management = {
      ...inOrg(SRC_ACCOUNT, { ouScps: [pinKms(DST_REGION, ['kms:Decrypt'])] }),
      managementAccountId: SRC_ACCOUNT,
    };
    const snapshot = withOrg({ [SRC_ACCOUNT]: management, [DST_ACCOUNT]: outside(DST_ACCOUNT) });
    expect(only(kmsSourceDecryptAllowed, snapshot).status).toBe('COMPLIANT');
  });

  it('deny implicitly when no SCP at a level allows the action (FullAWSAccess replaced by a narrower allow)', () => {
    const s3Only: OrgPolicy = {
      id: 'p-s3only01',
      name: 'S3Only',
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
    };
    const snapshot = withOrg({
      [SRC_ACCOUNT]: inOrg(SRC_ACCOUNT, { rootScps: [s3Only] }),
      [DST_ACCOUNT]: outside(DST_ACCOUNT),
    });
    const result = only(kmsSourceDecryptAllowed, snapshot);
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.message).toContain('not allowed by any SCP attached to root r-ab12 (implicit deny');
    expect(only(roleSourcePermissions, snapshot).status).toBe('COMPLIANT');
  });
});

describe('RCPs of the destination account', () => {
  const perimeter = (source: AccountOrganization) =>
    withOrg({ [SRC_ACCOUNT]: source, [DST_ACCOUNT]: inOrg(DST_ACCOUNT, { accountRcps: [PERIMETER] }) });

  it('let a replication role of the Organization through', () => {
    const snapshot = perimeter(inOrg(SRC_ACCOUNT));
    for (const rule of [
      destinationPolicyAllowsRole,
      kmsDestinationEncryptAllowed,
      roleDestinationPermissions,
    ])
      expect(only(rule, snapshot).status, rule.id).toBe('COMPLIANT');
  });

  it('deny a replication role from outside the Organization, naming the RCP, its account and statement', () => {
    const snapshot = perimeter(outside(SRC_ACCOUNT));
    const bucket = only(destinationPolicyAllowsRole, snapshot);
    expect(bucket.status).toBe('NON_COMPLIANT');
    expect(bucket.message).toContain(
      'explicitly denied by the RCPs of account 222222222222 (RCP DataPerimeter (p-perimeter1) attached to account 222222222222: EnforceOrgIdentities)',
    );
    expect(only(kmsDestinationEncryptAllowed, snapshot).status).toBe('NON_COMPLIANT');
    // The role's own policies are not the problem: the SCP side stays COMPLIANT.
    expect(only(roleDestinationPermissions, snapshot).status).toBe('COMPLIANT');
  });

  it('let S3 (a service principal) assume the role despite the perimeter, which exempts AWS services', () => {
    const snapshot = withOrg({
      [SRC_ACCOUNT]: inOrg(SRC_ACCOUNT, { accountRcps: [PERIMETER] }),
      [DST_ACCOUNT]: outside(DST_ACCOUNT),
    });
    expect(only(roleTrustsS3, snapshot).status).toBe('COMPLIANT');
  });

  it('do not apply to AWS managed keys, nor to service-linked roles', () => {
    const snapshot = perimeter(outside(SRC_ACCOUNT));
    const key = {
      ref: 'alias/aws/s3',
      keyArn: `arn:aws:kms:${DST_REGION}:${DST_ACCOUNT}:key/aws-managed`,
      keyId: 'aws-managed',
      accountId: DST_ACCOUNT,
      region: DST_REGION,
      state: 'Enabled',
      manager: 'AWS' as const,
      policy: known({ Version: '2012-10-17', Statement: [] } as PolicyDocument),
    };
    const where = {
      bucket: 'phi-dr',
      region: DST_REGION,
      rule: {
        id: 'r',
        status: 'Enabled',
        filter: {},
        destination: { bucket: 'phi-dr', bucketArn: 'arn:aws:s3:::phi-dr' },
      } as const,
      bucketKeyEnabled: false,
    };
    const awsManaged = withOrganization(
      snapshot,
      kmsRequests(rolePrincipalOf(ROLE_ARN), key, ['kms:Encrypt'], where, 'x'),
      { scp: true, rcp: true },
    );
    expect(awsManaged.requests[0]?.controls?.rcp).toBeUndefined();
    const linked = rolePrincipalOf(
      `arn:aws:iam::${SRC_ACCOUNT}:role/aws-service-role/s3.amazonaws.com/AWSServiceRoleForS3`,
    );
    const customer = { ...key, manager: 'CUSTOMER' as const };
    const viaLinked = withOrganization(snapshot, kmsRequests(linked, customer, ['kms:Encrypt'], where, 'x'), {
      scp: true,
      rcp: true,
    });
    expect(viaLinked.requests[0]?.controls).toBeUndefined();
  });

  it('give requests the Organization context keys AWS adds', () => {
    const snapshot = perimeter(inOrg(SRC_ACCOUNT));
    const role = snapshot.roles[ROLE_ARN];
    if (!role?.known || !role.value) throw new Error('fixture');
    const [request] = withOrganization(snapshot, [trustRequest(role.value, 'phi-prod', SRC_ACCOUNT)], {
      scp: false,
      rcp: true,
    }).requests;
    expect(request?.context).toMatchObject({
      'aws:PrincipalIsAWSService': 'true',
      'aws:ResourceOrgID': ORG,
      'aws:ResourceOrgPaths': [`${ORG}/${ROOT}/${OU}/`],
    });
  });
});

describe('SCPs and RCPs that could not be read', () => {
  it('are named as not evaluated, with the permission, in the message and details; the verdict stands', () => {
    const denied = unknown('AccessDenied on organizations:ListParents', 'organizations:ListParents');
    const snapshot = withOrg({ [SRC_ACCOUNT]: denied, [DST_ACCOUNT]: denied });
    for (const rule of [
      roleSourcePermissions,
      kmsSourceDecryptAllowed,
      kmsDestinationEncryptAllowed,
      destinationPolicyAllowsRole,
      roleDestinationPermissions,
      roleTrustsS3,
    ]) {
      const result = only(rule, snapshot);
      expect(result.status, rule.id).toBe('COMPLIANT');
      expect(result.message, rule.id).toContain(
        'SCPs and RCPs were not evaluated (missing organizations:ListParents)',
      );
      expect(result.details?.organizationPoliciesNotEvaluated, rule.id).toEqual(
        expect.arrayContaining([expect.objectContaining({ permission: 'organizations:ListParents' })]),
      );
    }
  });

  it('are said not read when the snapshot has none at all (never assumed to be none)', () => {
    const snapshot = variant((s) => void delete s.organization);
    expect(only(roleSourcePermissions, snapshot).message).toContain(
      'SCPs and RCPs were not evaluated (the Organization policies were not read): the SCPs of account 111111111111 and the RCPs of account 111111111111 could not be read.',
    );
  });

  it('add nothing to the message when every account was read', () => {
    expect(only(roleSourcePermissions, healthySnapshot()).message).not.toContain('not evaluated');
    expect(notEvaluatedSentence([])).toBe('');
  });
});
