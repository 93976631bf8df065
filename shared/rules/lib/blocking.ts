/**
 * The rules whose failure stops objects from replicating on a pair (as opposed to rules about monitoring,
 * encryption at rest or the choice of Region): while one of them fails, a Batch Replication job would fail
 * the same objects again.
 */
export const BLOCKING_RULES = [
  'replication_configured',
  'replication_destination_reachable',
  'versioning_source_enabled',
  'versioning_destination_enabled',
  'role_trusts_s3',
  'role_source_permissions',
  'role_destination_permissions',
  'destination_policy_allows_role',
  'kms_source_decrypt_allowed',
  'kms_destination_encrypt_allowed',
  'kms_encrypted_objects_replicated',
  'kms_replica_key_configured',
  'object_lock_destination_enabled',
] as const;

const blocking: ReadonlySet<string> = new Set(BLOCKING_RULES);

export const blocksReplication = (ruleId: string): boolean => blocking.has(ruleId);
