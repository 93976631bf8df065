import type { KeyInfo, RoleInfo, Snapshot } from '../../model/snapshot.js';
import { roleOf } from '../../policy/replication.js';
import { need, type ResultBuilder, type ResultScope } from '../result.js';
import type { ResourceRef, RuleResult } from '../types.js';

export type KmsPath =
  | { readonly ok: true; readonly role: RoleInfo; readonly resources: ResourceRef[] }
  | { readonly ok: false; readonly result: RuleResult };

/**
 * What both KMS permission rules need before simulating: the key policy readable, and the replication
 * role readable and existing (a missing role is role_trusts_s3's finding, so NOT_APPLICABLE here).
 */
export const keyPolicyAndRole = (
  snapshot: Snapshot,
  key: KeyInfo,
  results: ResultBuilder,
  scope: ResultScope,
): KmsPath => {
  const keyRef: ResourceRef[] = [{ type: 'AwsKmsKey', id: key.keyArn }];
  const policy = need(key.policy, `the key policy of ${key.keyArn}`, results, {
    ...scope,
    resources: keyRef,
  });
  if (!policy.ok) return policy;
  const replication = snapshot.source.replication;
  const roleArn = replication.known ? (replication.value?.role ?? '') : '';
  const resources: ResourceRef[] = [{ type: 'AwsIamRole', id: roleArn }, ...keyRef];
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
        scope,
      ),
    };
  return { ok: true, role: role.value, resources };
};
