import { cloudtrailDataEvents } from './cloudtrail_data_events.js';
import { destinationPolicyAllowsRole } from './destination_policy_allows_role.js';
import { encryptionAtRestKms } from './encryption_at_rest_kms.js';
import { failureNotificationsConfigured } from './failure_notifications_configured.js';
import { kmsDestinationEncryptAllowed } from './kms_destination_encrypt_allowed.js';
import { kmsEncryptedObjectsReplicated } from './kms_encrypted_objects_replicated.js';
import { kmsReplicaKeyConfigured } from './kms_replica_key_configured.js';
import { kmsSourceDecryptAllowed } from './kms_source_decrypt_allowed.js';
import { objectLockDestinationEnabled } from './object_lock_destination_enabled.js';
import { objectLockModeConsistent } from './object_lock_mode_consistent.js';
import { pendingReplicationAlarm } from './pending_replication_alarm.js';
import { replicationBacklogObjects } from './replication_backlog_objects.js';
import { replicationConfigured } from './replication_configured.js';
import { replicationCrossRegion } from './replication_cross_region.js';
import { replicationDestinationReachable } from './replication_destination_reachable.js';
import { replicationMetricsEnabled } from './replication_metrics_enabled.js';
import { replicationTimeControl } from './replication_time_control.js';
import { roleDestinationPermissions } from './role_destination_permissions.js';
import { roleSourcePermissions } from './role_source_permissions.js';
import { roleTrustsS3 } from './role_trusts_s3.js';
import { tlsOnlyPolicy } from './tls_only_policy.js';
import type { Rule } from './types.js';
import { versioningDestinationEnabled } from './versioning_destination_enabled.js';
import { versioningSourceEnabled } from './versioning_source_enabled.js';

/** The catalog: every rule, in report order. Rule ids are a public contract. */
export const rules: readonly Rule[] = [
  replicationConfigured,
  replicationDestinationReachable,
  replicationCrossRegion,
  versioningSourceEnabled,
  versioningDestinationEnabled,
  roleTrustsS3,
  roleSourcePermissions,
  roleDestinationPermissions,
  destinationPolicyAllowsRole,
  kmsSourceDecryptAllowed,
  kmsDestinationEncryptAllowed,
  kmsEncryptedObjectsReplicated,
  kmsReplicaKeyConfigured,
  objectLockDestinationEnabled,
  objectLockModeConsistent,
  encryptionAtRestKms,
  tlsOnlyPolicy,
  replicationMetricsEnabled,
  replicationTimeControl,
  pendingReplicationAlarm,
  failureNotificationsConfigured,
  cloudtrailDataEvents,
  replicationBacklogObjects,
];

export const ruleById = (id: string): Rule | undefined => rules.find((r) => r.id === id);
