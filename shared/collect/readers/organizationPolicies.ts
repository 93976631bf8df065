/**
 * The SCPs and RCPs that apply to an account: DescribeOrganization (the Organization's id and management
 * account), ListParents from the account up to the root, and at each level ListPoliciesForTarget (filters
 * SERVICE_CONTROL_POLICY and RESOURCE_CONTROL_POLICY) with DescribePolicy for each policy's content.
 *
 * Organizations answers these only in the management account or a delegated administrator, so they are read
 * with the central credentials (the caller's own, never a member role). Every read goes through the session
 * memo: the Organization once per scan, each target's parents and policies once, each policy once, so an
 * Organization scan of many accounts reads a shared OU (and the root) a single time.
 *
 * What counts as "no Organization policies": `AWSOrganizationsNotInUseException` (the central account is in
 * no Organization) and an account the Organization does not know (`AccountNotFoundException`,
 * `ChildNotFoundException`: outside it). Access denied → unknown naming the permission.
 */
import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  OrganizationsClient,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import { ServiceId } from '../../aws/endpoint.js';
import { type Datum, known, unknown } from '../../model/datum.js';
import {
  type AccountOrganization,
  type OrgLevel,
  type OrgPolicy,
  type OrgTarget,
  OrgTargetType,
} from '../../model/organization.js';
import { parsePolicy } from '../normalise/s3Api.js';
import { safeRead } from '../safeRead.js';
import type { ScanSession } from '../session.js';

const NOT_IN_USE = 'AWSOrganizationsNotInUseException';
const OUTSIDE = ['AccountNotFoundException', 'ChildNotFoundException'] as const;

interface OrganizationInfo {
  readonly id: string;
  readonly managementAccountId: string;
}

/** Organizations is a global service answered in us-east-1 (aws partition). */
const clientOf = (session: ScanSession): OrganizationsClient =>
  session.factory.client(OrganizationsClient, ServiceId.Organizations, { region: 'us-east-1' });

/** The central account's Organization; `null` when Organizations is not in use. */
const readOrganization = (session: ScanSession): Promise<Datum<OrganizationInfo | null>> =>
  session.once('org|organization', () =>
    safeRead(
      async () => {
        const out = await clientOf(session).send(new DescribeOrganizationCommand({}));
        const org = out.Organization;
        return org?.Id ? { id: org.Id, managementAccountId: org.MasterAccountId ?? '' } : null;
      },
      { permission: 'organizations:DescribeOrganization', absentWhen: { [NOT_IN_USE]: null } },
    ),
  );

type Parent = OrgTarget | 'outside';

/** The parent of a child (account or OU); `outside` when the Organization does not know the account. */
const readParent = (session: ScanSession, childId: string): Promise<Datum<Parent>> =>
  session.once(`org|parent|${childId}`, () =>
    safeRead<Parent>(
      async () => {
        const out = await clientOf(session).send(new ListParentsCommand({ ChildId: childId }));
        const parent = out.Parents?.[0];
        if (!parent?.Id) return 'outside';
        const type =
          parent.Type === 'ROOT' || parent.Id.startsWith('r-')
            ? OrgTargetType.Root
            : OrgTargetType.OrganizationalUnit;
        return { type, id: parent.Id };
      },
      {
        permission: 'organizations:ListParents',
        absentWhen: Object.fromEntries(OUTSIDE.map((code) => [code, 'outside' as const])),
      },
    ),
  );

/** An OU's name (for messages); undefined when it cannot be read (the id still names it). */
const readOuName = (session: ScanSession, ouId: string): Promise<string | undefined> =>
  session.once(`org|ou-name|${ouId}`, async () => {
    const out = await safeRead(
      async () =>
        (await clientOf(session).send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ouId })))
          .OrganizationalUnit?.Name,
      { permission: 'organizations:DescribeOrganizationalUnit' },
    );
    return out.known ? out.value : undefined;
  });

/** One policy's content (read once per scan, whatever it is attached to). */
const readPolicy = (session: ScanSession, policyId: string): Promise<Datum<OrgPolicy>> =>
  session.once(`org|policy|${policyId}`, async () => {
    const out = await safeRead(
      async () => (await clientOf(session).send(new DescribePolicyCommand({ PolicyId: policyId }))).Policy,
      { permission: 'organizations:DescribePolicy' },
    );
    if (!out.known) return out;
    const summary = out.value?.PolicySummary;
    let document;
    try {
      document = parsePolicy(out.value?.Content);
    } catch {
      document = null;
    }
    if (!document) return unknown(`the content of Organization policy ${policyId} is not a policy document`);
    return known({ id: policyId, name: summary?.Name ?? policyId, document });
  });

/** The policies of one type attached directly to a target (every page). */
const readAttached = (
  session: ScanSession,
  targetId: string,
  filter: PolicyType,
): Promise<Datum<readonly OrgPolicy[]>> =>
  session.once(`org|attached|${filter}|${targetId}`, async () => {
    const ids = await safeRead(
      async () => {
        const found: string[] = [];
        let token: string | undefined;
        do {
          const page = await clientOf(session).send(
            new ListPoliciesForTargetCommand({ TargetId: targetId, Filter: filter, NextToken: token }),
          );
          for (const p of page.Policies ?? []) if (p.Id) found.push(p.Id);
          token = page.NextToken;
        } while (token);
        return found;
      },
      // A policy type not enabled in the Organization: nothing of that type applies.
      {
        permission: 'organizations:ListPoliciesForTarget',
        absentWhen: { PolicyTypeNotEnabledException: [] },
      },
    );
    if (!ids.known) return ids;
    const policies = await Promise.all(ids.value.map((id) => readPolicy(session, id)));
    const unread = policies.find((p) => !p.known);
    if (unread && !unread.known) return unread;
    return known(policies.flatMap((p) => (p.known ? [p.value] : [])));
  });

/** A level of the path with its SCPs and RCPs (each target read once per scan). */
const readLevel = (session: ScanSession, target: OrgTarget): Promise<Datum<OrgLevel>> =>
  session.once(`org|level|${target.id}`, async () => {
    const [scps, rcps, name] = await Promise.all([
      readAttached(session, target.id, 'SERVICE_CONTROL_POLICY'),
      readAttached(session, target.id, 'RESOURCE_CONTROL_POLICY'),
      target.type === OrgTargetType.OrganizationalUnit ? readOuName(session, target.id) : undefined,
    ]);
    if (!scps.known) return scps;
    if (!rcps.known) return rcps;
    return known({ target: name ? { ...target, name } : target, scps: scps.value, rcps: rcps.value });
  });

const MAX_DEPTH = 10; // AWS allows OUs five levels deep under the root

/**
 * The Organization policies that apply to `accountId` (root first, the account last), read once per account
 * per scan; `member: false` when it is outside the Organization or Organizations is not in use.
 */
export const readAccountOrganization = (
  session: ScanSession,
  accountId: string,
): Promise<Datum<AccountOrganization>> =>
  session.once(`org|account|${accountId}`, async () => {
    const org = await readOrganization(session);
    if (!org.known) return org;
    if (org.value === null)
      return known({
        member: false as const,
        accountId,
        reason: 'AWS Organizations is not in use for the account ReplGuard reads it with',
      });
    const path: OrgTarget[] = [{ type: OrgTargetType.Account, id: accountId }];
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const parent = await readParent(session, (path[0] as OrgTarget).id);
      if (!parent.known) return parent;
      if (parent.value === 'outside')
        return known({
          member: false as const,
          accountId,
          reason: `account ${accountId} is not in Organization ${org.value.id}`,
        });
      path.unshift(parent.value);
      if (parent.value.type === OrgTargetType.Root) break;
    }
    const levels = await Promise.all(path.map((target) => readLevel(session, target)));
    const unread = levels.find((l) => !l.known);
    if (unread && !unread.known) return unread;
    return known({
      member: true as const,
      accountId,
      organizationId: org.value.id,
      managementAccountId: org.value.managementAccountId,
      levels: levels.flatMap((l) => (l.known ? [l.value] : [])),
    });
  });

/** The Organization policies of each account (deduplicated), keyed by account id. */
export const readOrganizationPolicies = async (
  session: ScanSession,
  accountIds: readonly string[],
): Promise<Record<string, Datum<AccountOrganization>>> => {
  const ids = [...new Set(accountIds.filter((id) => /^\d{12}$/.test(id)))];
  const data = await Promise.all(ids.map((id) => readAccountOrganization(session, id)));
  return Object.fromEntries(ids.map((id, i) => [id, data[i] as Datum<AccountOrganization>]));
};
