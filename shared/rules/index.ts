import { cloudtrailDataEvents } from './cloudtrail_data_events.js';
import { encryptionAtRestKms } from './encryption_at_rest_kms.js';
import { failureNotificationsConfigured } from './failure_notifications_configured.js';
import { kmsEncryptedObjectsReplicated } from './kms_encrypted_objects_replicated.js';
import { kmsReplicaKeyConfigured } from './kms_replica_key_configured.js';
import { objectLockDestinationEnabled } from './object_lock_destination_enabled.js';
import { objectLockModeConsistent } from './object_lock_mode_consistent.js';
import { pendingReplicationAlarm } from './pending_replication_alarm.js';
import { replicationConfigured } from './replication_configured.js';
import { replicationCrossRegion } from './replication_cross_region.js';
import { replicationDestinationReachable } from './replication_destination_reachable.js';
import { replicationMetricsEnabled } from './replication_metrics_enabled.js';
import { replicationTimeControl } from './replication_time_control.js';
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
  // the permission rules go here: role_trusts_s3 … kms_destination_encrypt_allowed
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
];

export const ruleById = (id: string): Rule | undefined => rules.find((r) => r.id === id);
