/**
 * The AWS Organizations policies that apply to an account: the path from the Organization's root through its
 * OUs to the account, with the service control policies (SCPs) and resource control policies (RCPs) attached
 * at each level. Read with the central credentials (management or delegated administrator account).
 */
import type { Datum } from './datum.js';
import type { PolicyDocument } from './snapshot.js';

/**
 * What reading them needs, in the central account only (management or delegated administrator): member
 * accounts cannot read Organizations, so shared/iam grants these to the function roles, never to the member role.
 */
export const ORGANIZATION_PERMISSIONS = [
  'organizations:DescribeOrganization',
  'organizations:DescribeOrganizationalUnit',
  'organizations:DescribePolicy',
  'organizations:ListParents',
  'organizations:ListPoliciesForTarget',
] as const;

/** What a policy is attached to. */
export const OrgTargetType = {
  Root: 'ROOT',
  OrganizationalUnit: 'ORGANIZATIONAL_UNIT',
  Account: 'ACCOUNT',
} as const;
export type OrgTargetType = (typeof OrgTargetType)[keyof typeof OrgTargetType];

export interface OrgTarget {
  readonly type: OrgTargetType;
  /** `r-…`, `ou-…` or the 12-digit account id. */
  readonly id: string;
  /** The OU's name, when it could be read. */
  readonly name?: string;
}

/** An SCP or RCP as DescribePolicy returns it. */
export interface OrgPolicy {
  /** `p-…` (`p-FullAWSAccess` and `p-RCPFullAWSAccess` for the AWS managed defaults). */
  readonly id: string;
  readonly name: string;
  readonly document: PolicyDocument;
}

/** One level of the path, with what is attached to it directly. */
export interface OrgLevel {
  readonly target: OrgTarget;
  readonly scps: readonly OrgPolicy[];
  readonly rcps: readonly OrgPolicy[];
}

/** The Organization policies of one account. */
export type AccountOrganization =
  | {
      /** Not in the Organization the central credentials see (or Organizations is not in use): none apply. */
      readonly member: false;
      readonly accountId: string;
      readonly reason: string;
    }
  | {
      readonly member: true;
      readonly accountId: string;
      /** `o-…` */
      readonly organizationId: string;
      readonly managementAccountId: string;
      /** Root first, the account last. */
      readonly levels: readonly OrgLevel[];
    };

/** Keyed by account id; an account missing from the map was not read (its SCPs and RCPs are not evaluated). */
export type OrganizationPolicies = Readonly<Record<string, Datum<AccountOrganization>>>;

/** `o-abc/r-ab12/ou-ab12-cdef5678/`: the value `aws:PrincipalOrgPaths` and `aws:ResourceOrgPaths` compare with. */
export const orgPathOf = (account: Extract<AccountOrganization, { member: true }>): string =>
  `${[account.organizationId, ...account.levels.filter((l) => l.target.type !== 'ACCOUNT').map((l) => l.target.id)].join('/')}/`;

/** "root r-ab12", "OU ou-ab12-cdef5678 (Clinical)", "account 111111111111". */
export const describeOrgTarget = (target: OrgTarget): string =>
  target.type === 'ROOT'
    ? `root ${target.id}`
    : target.type === 'ORGANIZATIONAL_UNIT'
      ? `OU ${target.id}${target.name ? ` (${target.name})` : ''}`
      : `account ${target.id}`;
