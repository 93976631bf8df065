/**
 * Organization policies in the permission chain: which SCPs and RCPs apply to a request, the request context
 * keys the Organization adds (`aws:PrincipalOrgID`, `aws:ResourceOrgID`, …), and which accounts' policies
 * could not be read (the result then says they were not evaluated, and the rest of the verdict stands).
 *
 * AWS's rules, applied here because the simulator applies whatever it is given:
 * - SCPs restrict IAM principals of member accounts: not the management account's, not service-linked roles,
 *   not service principals (S3 assuming the replication role);
 * - RCPs restrict resources of member accounts of S3, STS, KMS, SQS and Secrets Manager (not the management
 *   account's, not AWS managed KMS keys), whoever calls, service principals included, but not service-linked roles;
 * - at every level (root, each OU, the account) some attached policy must allow; an explicit Deny anywhere denies.
 *   A policy type with nothing attached anywhere is not enabled in the Organization: it does not apply.
 *
 * What @cloud-copilot/iam-simulate 0.1.173 does and does not do (checked in its CoreSimulatorEngine and
 * DefaultServiceAuthorizer): it evaluates every level it is given (each must allow, any explicit deny denies),
 * but it applies SCPs and RCPs to whatever request it is given: it knows nothing of the management account,
 * service-linked roles, service principals for SCPs, the services RCPs cover or AWS managed keys (all decided
 * here), and its `runUnsafeSimulation` returns only the decision, so controls.ts attributes a denial by
 * simulating each level (and each deny statement) alone. Its RCP validator refuses AWS's own RCPFullAWSAccess
 * (an Allow; customer RCPs may only deny): that one is validated as a resource policy (engine.ts). The context
 * keys the Organization adds (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:ResourceOrgID`,
 * `aws:ResourceOrgPaths`, `aws:PrincipalIsAWSService`) are ours to supply; `aws:ResourceAccount` in an RCP
 * condition is not modelled when a level is judged alone (the base request runs in the principal's account).
 */
import type { Datum } from '../model/datum.js';
import { type AccountOrganization, orgPathOf } from '../model/organization.js';
import type { Snapshot } from '../model/snapshot.js';
import { type Checked, checkAll } from './report.js';
import { simulate } from './simulate.js';
import {
  type ContextValues,
  type ControlPaths,
  type Controls,
  isServicePrincipal,
  type SimulationRequest,
  type Verdict,
} from './types.js';

/** The services whose resources RCPs restrict (AWS Organizations user guide, "List of AWS services that support RCPs"). */
export const RCP_SERVICES: ReadonlySet<string> = new Set(['s3', 'sts', 'kms', 'sqs', 'secretsmanager']);

/** Which Organization policies a rule's evaluation covers. */
export interface ControlScope {
  /** SCPs of the principal's account (the rule judges what the role may do). */
  readonly scp: boolean;
  /** RCPs of the resource's account (the rule judges what the resource accepts). */
  readonly rcp: boolean;
}

/** Organization policies that could not be read, so were not evaluated. */
export interface NotEvaluated {
  readonly kind: 'SCPs' | 'RCPs';
  readonly accountId: string;
  readonly reason: string;
  /** The permission that would let ReplGuard read them. */
  readonly permission?: string;
}

/** The requests with their Organization policies and context, and what was not evaluated. */
export interface OrganizationCoverage {
  readonly requests: SimulationRequest[];
  readonly notEvaluated: NotEvaluated[];
}

/** Service-linked roles live under `/aws-service-role/`: neither SCPs nor RCPs restrict them. */
export const isServiceLinkedRole = (arn: string): boolean => /:role\/aws-service-role\//.test(arn);

type Member = Extract<AccountOrganization, { member: true }>;

const NOT_READ = 'the Organization policies were not read';

const pathsOf = (account: Member, kind: 'scps' | 'rcps'): ControlPaths | undefined => {
  // Nothing of this type attached anywhere: the policy type is not enabled, so it does not apply.
  if (account.levels.every((level) => level[kind].length === 0)) return undefined;
  return {
    accountId: account.accountId,
    managementAccountId: account.managementAccountId,
    levels: account.levels.map((level) => ({ target: level.target, policies: level[kind] })),
  };
};

const memberOf = (datum: Datum<AccountOrganization> | undefined): Member | undefined =>
  datum?.known && datum.value.member ? datum.value : undefined;

const isManagement = (account: Member): boolean => account.accountId === account.managementAccountId;

/** The context keys the Organization adds to a request. */
const organizationContext = (
  request: SimulationRequest,
  principalOrg: Member | undefined,
  resourceOrg: Member | undefined,
): ContextValues => ({
  ...request.context,
  'aws:PrincipalIsAWSService': isServicePrincipal(request.principal) ? 'true' : 'false',
  ...(principalOrg
    ? {
        'aws:PrincipalOrgID': principalOrg.organizationId,
        'aws:PrincipalOrgPaths': [orgPathOf(principalOrg)],
      }
    : {}),
  ...(resourceOrg
    ? { 'aws:ResourceOrgID': resourceOrg.organizationId, 'aws:ResourceOrgPaths': [orgPathOf(resourceOrg)] }
    : {}),
});

const notEvaluatedOf = (
  kind: NotEvaluated['kind'],
  accountId: string,
  datum: Datum<AccountOrganization> | undefined,
): NotEvaluated[] => {
  if (datum === undefined) return [{ kind, accountId, reason: NOT_READ }];
  if (datum.known) return [];
  return [
    { kind, accountId, reason: datum.reason, ...(datum.permission ? { permission: datum.permission } : {}) },
  ];
};

const serviceOf = (action: string): string => action.split(':')[0]?.toLowerCase() ?? '';

/**
 * Each request with the SCPs and RCPs that apply to it (as `scope` asks) and the Organization's context keys;
 * and the accounts whose policies `scope` needed but could not be read.
 */
export const withOrganization = (
  snapshot: Pick<Snapshot, 'organization'>,
  requests: readonly SimulationRequest[],
  scope: ControlScope,
): OrganizationCoverage => {
  const org = snapshot.organization ?? {};
  const missing = new Map<string, NotEvaluated>();
  const note = (items: NotEvaluated[]) => {
    for (const item of items) missing.set(`${item.kind}|${item.accountId}`, item);
  };
  const out = requests.map((request): SimulationRequest => {
    const { principal, resource } = request;
    const role = isServicePrincipal(principal) ? undefined : principal;
    const serviceLinked = role !== undefined && isServiceLinkedRole(role.arn);
    const principalDatum = role ? org[role.accountId] : undefined;
    const resourceDatum = org[resource.accountId];
    const principalOrg = memberOf(principalDatum);
    const resourceOrg = memberOf(resourceDatum);
    const controls: { -readonly [K in keyof Controls]: Controls[K] } = {};
    if (scope.scp && role && !serviceLinked) {
      note(notEvaluatedOf('SCPs', role.accountId, principalDatum));
      const scp = principalOrg && !isManagement(principalOrg) ? pathsOf(principalOrg, 'scps') : undefined;
      if (scp) controls.scp = scp;
    }
    const rcpApplies =
      scope.rcp && !serviceLinked && RCP_SERVICES.has(serviceOf(request.action)) && !resource.awsManaged;
    if (rcpApplies) {
      note(notEvaluatedOf('RCPs', resource.accountId, resourceDatum));
      const rcp = resourceOrg && !isManagement(resourceOrg) ? pathsOf(resourceOrg, 'rcps') : undefined;
      if (rcp) controls.rcp = rcp;
    }
    return {
      ...request,
      context: organizationContext(request, principalOrg, resourceOrg),
      ...(controls.scp || controls.rcp ? { controls } : {}),
    };
  });
  return { requests: out, notEvaluated: [...missing.values()] };
};

/**
 * " SCPs and RCPs were not evaluated (missing organizations:ListParents): the SCPs of account 111111111111 and
 * the RCPs of account 222222222222 could not be read." for a result's message; "" when everything was read.
 */
export const notEvaluatedSentence = (notEvaluated: readonly NotEvaluated[]): string => {
  if (notEvaluated.length === 0) return '';
  const permissions = [...new Set(notEvaluated.flatMap((n) => (n.permission ? [n.permission] : [])))];
  const why =
    permissions.length > 0 ? `missing ${permissions.join(', ')}` : (notEvaluated[0] as NotEvaluated).reason;
  const which = notEvaluated.map((n) => `the ${n.kind} of account ${n.accountId}`).join(' and ');
  return ` SCPs and RCPs were not evaluated (${why}): ${which} could not be read.`;
};

/** The `details` part: what was not evaluated, and why (empty when everything was). */
export const notEvaluatedDetails = (
  notEvaluated: readonly NotEvaluated[],
): { organizationPoliciesNotEvaluated?: readonly NotEvaluated[] } =>
  notEvaluated.length > 0 ? { organizationPoliciesNotEvaluated: notEvaluated } : {};

/** Checks with the Organization policies in the chain, and what to add to the result about those not evaluated. */
export interface OrganizationChecks {
  readonly checks: Checked[];
  readonly notEvaluated: readonly NotEvaluated[];
  /** Appended to the result's message ("" when every applicable SCP and RCP was evaluated). */
  readonly note: string;
  /** Spread into the result's `details`. */
  readonly details: ReturnType<typeof notEvaluatedDetails>;
}

/**
 * Simulates `requests` (with `judge`, `simulate` by default) with the SCPs and RCPs `scope` covers; the
 * policies that could not be read are named in `note` and `details` and the verdict stands on the rest.
 */
export const checkWithOrganization = (
  snapshot: Pick<Snapshot, 'organization'>,
  requests: readonly SimulationRequest[],
  scope: ControlScope,
  judge: (request: SimulationRequest) => Verdict = simulate,
): OrganizationChecks => {
  const coverage = withOrganization(snapshot, requests, scope);
  return {
    checks: checkAll(coverage.requests, judge),
    notEvaluated: coverage.notEvaluated,
    note: notEvaluatedSentence(coverage.notEvaluated),
    details: notEvaluatedDetails(coverage.notEvaluated),
  };
};
