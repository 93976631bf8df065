import type { KeyInfo, Snapshot } from '../../model/snapshot.js';
import { need, type ResultBuilder, type ResultScope } from '../result.js';
import type { ResourceRef } from '../types.js';
import { existingReplicationRole, type RoleCheck } from './replicationRole.js';

/**
 * What both KMS permission rules need before simulating: the key policy readable, and the replication
 * role readable and existing.
 */
export const keyPolicyAndRole = (
  snapshot: Snapshot,
  key: KeyInfo,
  results: ResultBuilder,
  scope: ResultScope,
): RoleCheck => {
  const keyRef: ResourceRef[] = [{ type: 'AwsKmsKey', id: key.keyArn }];
  const policy = need(key.policy, `the key policy of ${key.keyArn}`, results, {
    ...scope,
    resources: keyRef,
  });
  if (!policy.ok) return policy;
  return existingReplicationRole(snapshot, results, scope, keyRef);
};
