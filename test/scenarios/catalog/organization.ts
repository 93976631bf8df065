/**
 * Organization policies in the permission chain: SCPs on the source account's OU, RCPs on the DR account, and
 * an Organization ReplGuard may not read. The home account is the Organization's management account (the
 * central deployment, which alone can read Organizations); the scanned source lives in a member account (SCPs
 * do not restrict the management account) and is read through the cross-account role.
 */
import type { PolicyDocument } from '../../../shared/model/snapshot.js';
import type { RuleResult } from '../../../shared/rules/types.js';
import { type PairOptions, type Scenario, scenario } from '../builder.js';
import {
  attachControlPolicy,
  createMemberAccount,
  createOrganization,
  createOu,
  type OrganizationHandle,
} from '../builder/organization.js';
import { defineScenario, HEALTHY, type ScanTarget, type ScenarioDefinition } from './types.js';

const SOURCE_REGION = 'us-east-1';
const DR_REGION = 'us-west-2';

/** KMS use pinned to `region` (a data-residency SCP), for `actions`. */
const pinKms = (region: string, actions: readonly string[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyKmsOutsideRegion',
      Effect: 'Deny',
      Action: [...actions],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': region } },
    },
  ],
});

/** AWS's data-perimeter RCP: only the Organization's principals (and AWS services) reach its S3 and KMS resources. */
const perimeter = (organizationId: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'EnforceOrgIdentities',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:*', 'kms:*'],
      Resource: '*',
      Condition: {
        StringNotEqualsIfExists: { 'aws:PrincipalOrgID': organizationId },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    },
  ],
});

interface Built {
  readonly org: OrganizationHandle;
  readonly ou: string;
  readonly source: string;
}

/** An Organization managed by the home account, with a Clinical OU holding the source account. */
const organization = async (env: Scenario, name: string): Promise<Built> => {
  const org = await createOrganization(env.endpoint, env.home);
  const ou = await createOu(org, 'Clinical');
  const source = await createMemberAccount(org, `${name}-src`, ou);
  return { org, ou, source };
};

/**
 * A healthy pair whose source is in `sourceAccount`, scanned from the home account through ReplGuardReadOnly
 * (created first, trusting the home account, in every account the scan reads).
 */
const centralPair = async (
  env: Scenario,
  name: string,
  sourceAccount: string,
  change: Omit<PairOptions, 'name'>,
  refs: Readonly<Record<string, string>> = {},
): Promise<ScanTarget> => {
  const destinationAccount = typeof change.crossAccount === 'string' ? change.crossAccount : sourceAccount;
  await Promise.all([...new Set([sourceAccount, destinationAccount])].map((a) => env.readOnlyRole(a)));
  const member = await scenario(env.endpoint, { account: sourceAccount, region: env.region });
  const path = await member.replicatedPair({ name, ...HEALTHY, crossAccount: false, ...change });
  return {
    buckets: [path.source.name],
    accountId: sourceAccount,
    refs: { ...refs, source: path.source.name, destination: path.destination.name },
  };
};

/** Problems when the NON_COMPLIANT results of `ruleIds` do not name every one of `texts`. */
const naming =
  (ruleIds: readonly string[], keys: readonly string[]) =>
  (results: readonly RuleResult[], target: ScanTarget): string[] =>
    results
      .filter((r) => ruleIds.includes(r.ruleId) && r.status === 'NON_COMPLIANT')
      .flatMap((r) =>
        keys
          .map((k) => target.refs?.[k] ?? `<${k}>`)
          .filter((text) => !r.message.includes(text))
          .map((text) => `${r.ruleId} does not name ${text}: ${r.message}`),
      );

export const organizationScenarios: readonly ScenarioDefinition[] = [
  defineScenario({
    name: 'org-scp-decrypt-in-dr-only',
    description:
      "An SCP on the source account's OU allows kms:Decrypt only in the DR Region (a residency SCP copied from the DR OU): S3 decrypts source objects in the source Region, so no KMS-encrypted PHI replicates",
    kind: 'failure',
    central: true,
    build: async (env, name) => {
      const { org, ou, source } = await organization(env, name);
      const scp = await attachControlPolicy(org, {
        name: 'PinKmsDecryptToDr',
        type: 'SERVICE_CONTROL_POLICY',
        document: pinKms(DR_REGION, ['kms:Decrypt']),
        targetId: ou,
      });
      return centralPair(env, name, source, { crossRegion: DR_REGION }, { scp, ou });
    },
    expect: {
      nonCompliant: ['kms_source_decrypt_allowed'],
      compliant: ['kms_destination_encrypt_allowed', 'role_source_permissions'],
      mentions: { kms_source_decrypt_allowed: 'SCP PinKmsDecryptToDr' },
      decisions: ['kms_source_decrypt_allowed'],
    },
    verify: naming(['kms_source_decrypt_allowed'], ['scp', 'ou']),
  }),
  defineScenario({
    name: 'org-scp-kms-source-region',
    description:
      "An SCP pins the source account's KMS use to the source Region: decryption passes, but S3 encrypts each replica with the replica key in the DR Region using the role's credentials, so replication fails",
    kind: 'failure',
    central: true,
    build: async (env, name) => {
      const { org, ou, source } = await organization(env, name);
      const scp = await attachControlPolicy(org, {
        name: 'PinKmsToSourceRegion',
        type: 'SERVICE_CONTROL_POLICY',
        document: pinKms(SOURCE_REGION, ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']),
        targetId: ou,
      });
      return centralPair(env, name, source, { crossRegion: DR_REGION }, { scp, ou });
    },
    expect: {
      nonCompliant: ['kms_destination_encrypt_allowed'],
      compliant: ['kms_source_decrypt_allowed'],
      mentions: { kms_destination_encrypt_allowed: 'SCP PinKmsToSourceRegion' },
      decisions: ['kms_destination_encrypt_allowed'],
    },
    verify: naming(['kms_destination_encrypt_allowed'], ['scp', 'ou']),
  }),
  defineScenario({
    name: 'org-rcp-perimeter-inside',
    description:
      "The DR account's data-perimeter RCP denies S3 and KMS to principals outside the Organization: the source account's replication role is inside, so it still replicates",
    kind: 'near-miss',
    central: true,
    build: async (env, name) => {
      const { org, source } = await organization(env, name);
      const dr = await createMemberAccount(org, `${name}-dr`);
      await attachControlPolicy(org, {
        name: 'DataPerimeter',
        type: 'RESOURCE_CONTROL_POLICY',
        document: perimeter(org.id),
        targetId: dr,
      });
      return centralPair(env, name, source, { crossAccount: dr });
    },
    expect: {
      nonCompliant: [],
      compliant: [
        'destination_policy_allows_role',
        'kms_destination_encrypt_allowed',
        'role_destination_permissions',
      ],
    },
  }),
  defineScenario({
    name: 'org-rcp-perimeter-outsider',
    description:
      "The DR account's data-perimeter RCP denies S3 and KMS to principals outside the Organization, and the source account is outside it: every replica write is denied",
    kind: 'failure',
    central: true,
    build: async (env, name) => {
      const org = await createOrganization(env.endpoint, env.home);
      const dr = await createMemberAccount(org, `${name}-dr`);
      const rcp = await attachControlPolicy(org, {
        name: 'DataPerimeter',
        type: 'RESOURCE_CONTROL_POLICY',
        document: perimeter(org.id),
        targetId: dr,
      });
      return centralPair(env, name, env.peer('outsider'), { crossAccount: dr }, { rcp, dr });
    },
    expect: {
      nonCompliant: ['destination_policy_allows_role', 'kms_destination_encrypt_allowed'],
      compliant: ['role_destination_permissions'],
      mentions: {
        destination_policy_allows_role: 'RCP DataPerimeter',
        kms_destination_encrypt_allowed: 'RCP DataPerimeter',
      },
      decisions: ['destination_policy_allows_role', 'kms_destination_encrypt_allowed'],
    },
    verify: naming(['destination_policy_allows_role', 'kms_destination_encrypt_allowed'], ['rcp', 'dr']),
  }),
  defineScenario({
    name: 'org-policies-unreadable',
    description:
      'ReplGuard may not call organizations:ListParents: the six permission rules still judge IAM, and say the SCPs and RCPs were not evaluated instead of assuming there are none',
    kind: 'access',
    central: true,
    build: async (env, name) => {
      const { source } = await organization(env, name);
      const target = await centralPair(env, name, source, { crossRegion: DR_REGION });
      return { ...target, factory: { deny: ['ORGANIZATIONS:ListParents'] } };
    },
    expect: {
      nonCompliant: [],
      compliant: [
        'role_trusts_s3',
        'role_source_permissions',
        'role_destination_permissions',
        'destination_policy_allows_role',
        'kms_source_decrypt_allowed',
        'kms_destination_encrypt_allowed',
      ],
    },
    verify: (results) =>
      results
        .filter((r) =>
          [
            'role_trusts_s3',
            'role_source_permissions',
            'role_destination_permissions',
            'destination_policy_allows_role',
            'kms_source_decrypt_allowed',
            'kms_destination_encrypt_allowed',
          ].includes(r.ruleId),
        )
        .filter(
          (r) =>
            !r.message.includes('SCPs and RCPs were not evaluated (missing organizations:ListParents)') ||
            !JSON.stringify(r.details ?? {}).includes('organizations:ListParents'),
        )
        .map((r) => `${r.ruleId} does not say the SCPs and RCPs were not evaluated: ${r.message}`),
  }),
];
