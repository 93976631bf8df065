import { rules as catalog } from '../rules/index.js';
import type { Rule } from '../rules/types.js';
import { functionReadPermissions, rulesReadPermissions } from './permissions.js';
import type { PolicyStatement } from './statements.js';
import { readStatements } from './statements.js';

export { IamDerivationError, IamErrorCode } from './errors.js';
export {
  CENTRAL_READ_PERMISSIONS,
  declaredPermissions,
  DISCOVERY_PERMISSIONS,
  functionReadPermissions,
  HOP_ACTIONS,
  parseAction,
  rulesReadPermissions,
} from './permissions.js';
export { resourcesFor } from './resources.js';
export type { ActionResources } from './resources.js';
export { cfnString, readStatements, templateOf } from './statements.js';
export type { CfnString, PolicyStatement } from './statements.js';

/** The read policies derived from the rule catalog. */
export interface DerivedPolicies {
  /** For the function roles, in ReplGuard's own account: the rules' reads plus bucket discovery. */
  readonly functionReads: PolicyStatement[];
  /** For the read-only role in member and destination accounts: exactly the rules' reads. */
  readonly memberReads: PolicyStatement[];
}

/**
 * Derives the least-privilege read statements from the rules' declared `permissions`
 * (the whole catalog unless given), so a new rule's reads are granted by the next package.
 */
export const derivePolicies = async (rules: readonly Rule[] = catalog): Promise<DerivedPolicies> => ({
  functionReads: await readStatements(functionReadPermissions(rules)),
  memberReads: await readStatements(rulesReadPermissions(rules)),
});
