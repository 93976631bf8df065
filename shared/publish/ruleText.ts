import { runtimeRuleById } from '../events/runtimeRules.js';
import { ruleById } from '../rules/index.js';

/** What publishers say about a rule: its title, a short name for the problem, where to read more. */
export interface RuleText {
  readonly title: string;
  /** A few words naming what is wrong when the rule fails (alert subjects, chat titles). */
  readonly problem: string;
  readonly remediationText: string;
  readonly remediationUrl: string;
}

const TROUBLESHOOTING = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-troubleshoot.html';

/**
 * Short problem names for alert subjects and chat titles; a rule missing here falls back to "fails <rule id>".
 * Runtime rules (shared/events/runtimeRules.ts) are published through the same pipeline.
 */
const PROBLEMS: Readonly<Record<string, string>> = {
  replication_operations_failing: 'replication operations failing',
  replication_threshold_missed: 'replication missed its time threshold',
  replication_backlog: 'replication backlog over threshold',
  replication_configured: 'no enabled replication rule',
  replication_destination_reachable: 'destination bucket missing or unreachable',
  replication_cross_region: 'no copy in another Region',
  versioning_source_enabled: 'source versioning not enabled',
  versioning_destination_enabled: 'destination versioning not enabled',
  kms_encrypted_objects_replicated: 'KMS-encrypted objects not replicated',
  kms_replica_key_configured: 'replica KMS key not usable',
  object_lock_destination_enabled: 'destination lacks Object Lock',
  object_lock_mode_consistent: 'Object Lock retention differs',
  encryption_at_rest_kms: 'bucket not encrypted with KMS',
  tls_only_policy: 'bucket policy allows requests without TLS',
  replication_metrics_enabled: 'replication metrics off',
  replication_time_control: 'Replication Time Control off',
  pending_replication_alarm: 'no alarm on the replication backlog',
  failure_notifications_configured: 'replication failures not notified',
  cloudtrail_data_events: 'S3 data events not logged',
  role_trusts_s3: 'replication role does not trust S3',
  role_source_permissions: 'replication role cannot read the source',
  destination_policy_allows_role: 'destination bucket policy denies the replication role',
  role_destination_permissions: 'replication role cannot write replicas',
  kms_source_decrypt_allowed: 'source KMS key not allowed',
  kms_destination_encrypt_allowed: 'replica KMS key not allowed',
};

/** The publishing text of a rule id (catalog, runtime, or a generic fallback naming the id). */
export const ruleText = (ruleId: string): RuleText => {
  const rule = ruleById(ruleId) ?? runtimeRuleById(ruleId);
  return {
    title: rule?.title ?? ruleId,
    problem: PROBLEMS[ruleId] ?? `fails ${ruleId}`,
    remediationText: rule?.remediation.text ?? 'See the finding for the exact fix.',
    remediationUrl: rule?.remediation.url ?? TROUBLESHOOTING,
  };
};
