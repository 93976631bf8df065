import type { RoleInfo, Snapshot } from '../../model/snapshot.js';
import { roleOf } from '../../policy/replication.js';
import { need, type ResultBuilder, type ResultScope } from '../result.js';
import type { ResourceRef, RuleResult } from '../types.js';

export type RoleCheck =
  | { readonly ok: true; readonly role: RoleInfo; readonly resources: ResourceRef[] }
  | { readonly ok: false; readonly result: RuleResult };

/** The replication role's ARN as configured ('' when the configuration is unreadable or absent). */
export const replicationRoleArn = (snapshot: Snapshot): string => {
  const replication = snapshot.source.replication;
  return replication.known ? (replication.value?.role ?? '') : '';
};

/**
 * The replication role, readable and existing, for the rules that judge what it may do: UNKNOWN when it
 * cannot be read, NOT_APPLICABLE when it does not exist (role_trusts_s3 reports that). `resources` is the
 * role followed by `also` (e.g. the KMS key the verdict is about).
 */
export const existingReplicationRole = (
  snapshot: Snapshot,
  results: ResultBuilder,
  scope: ResultScope,
  also: readonly ResourceRef[] = [],
): RoleCheck => {
  const roleArn = replicationRoleArn(snapshot);
  const resources: ResourceRef[] = [{ type: 'AwsIamRole', id: roleArn }, ...also];
  const role = need(roleOf(snapshot, roleArn), `replication role ${roleArn}`, results, {
    ...scope,
    resources,
  });
  if (!role.ok) return role;
  if (role.value === null)
    return {
      ok: false,
      result: results.notApplicable(
        `Replication role ${roleArn} does not exist (role_trusts_s3 reports it).`,
        {
          ...scope,
          resources,
        },
      ),
    };
  return { ok: true, role: role.value, resources };
};
