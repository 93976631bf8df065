import { ORGANIZATION_PERMISSIONS } from '../model/organization.js';
import type { Rule } from '../rules/types.js';
import { IamDerivationError, IamErrorCode } from './errors.js';

/** `service:Action`, never a wildcard: least privilege names every action. */
const ACTION = /^([a-z0-9-]+):([A-Za-z0-9]+)$/;

/**
 * Actions a rule declares that do not read anything themselves: they let ReplGuard act in another
 * account. The function roles get them on the member role only; the member role never gets them.
 */
export const HOP_ACTIONS: readonly string[] = ['sts:AssumeRole'];

/**
 * What the engine reads beyond the rules' declarations, for scheduled scans: listing the account's
 * buckets to find the in-scope ones (`discoverInScope` in shared/engine/scan.ts). The per-bucket
 * reads of discovery (location, tags, replication) are already declared by rules.
 */
export const DISCOVERY_PERMISSIONS: readonly string[] = ['s3:ListAllMyBuckets'];

/**
 * Reads the rules declare that only the central account can answer (AWS Organizations: the management account
 * or a delegated administrator): the function roles get them in their own account, the member role never does.
 */
export const CENTRAL_READ_PERMISSIONS: readonly string[] = ORGANIZATION_PERMISSIONS;

/** An IAM action split into its service prefix and name. */
export interface IamAction {
  readonly service: string;
  readonly name: string;
}

/** Parses `service:Action`; throws {@link IamDerivationError} on wildcards or malformed names. */
export const parseAction = (action: string): IamAction => {
  const match = ACTION.exec(action);
  if (!match?.[1] || !match[2])
    throw new IamDerivationError(
      `"${action}" is not an IAM action of the form service:Action (wildcards are not allowed)`,
      IamErrorCode.InvalidAction,
    );
  return { service: match[1], name: match[2] };
};

const sortedUnique = (actions: Iterable<string>): string[] => [...new Set(actions)].sort();

/** Every permission the rules declare, sorted and de-duplicated, each validated. */
export const declaredPermissions = (rules: readonly Rule[]): string[] => {
  const all = sortedUnique(rules.flatMap((r) => r.permissions));
  for (const a of all) parseAction(a);
  return all;
};

/** The read permissions the rules need: what a read-only role in a member account must grant, exactly. */
export const rulesReadPermissions = (rules: readonly Rule[]): string[] =>
  declaredPermissions(rules).filter((a) => !HOP_ACTIONS.includes(a) && !CENTRAL_READ_PERMISSIONS.includes(a));

/** The reads a function that evaluates rules needs in its own account: the rules' reads plus discovery. */
export const functionReadPermissions = (rules: readonly Rule[]): string[] =>
  sortedUnique([
    ...rulesReadPermissions(rules),
    ...DISCOVERY_PERMISSIONS,
    ...declaredPermissions(rules).filter((a) => CENTRAL_READ_PERMISSIONS.includes(a)),
  ]);
