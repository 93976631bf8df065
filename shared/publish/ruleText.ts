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
 * Rules reported at runtime from replication events and backlog alarms (built by the functions): not in
 * the configuration catalog, published through the same pipeline.
 */
const RUNTIME: Readonly<Record<string, RuleText>> = {
  replication_operations_failing: {
    title: 'Replication operations are not failing',
    problem: 'replication operations failing',
    remediationText:
      'Fix the cause named by the failure reason, then re-replicate the failed objects with S3 Batch Replication.',
    remediationUrl: TROUBLESHOOTING,
  },
  replication_threshold_missed: {
    title: 'Replication completes within the Replication Time Control threshold',
    problem: 'replication missed its time threshold',
    remediationText:
      'Check the replication backlog and the destination for throttling or failures; RTC promises 15 minutes.',
    remediationUrl: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html',
  },
  replication_backlog: {
    title: 'The replication backlog stays below its alarm threshold',
    problem: 'replication backlog over threshold',
    remediationText:
      'Check replication failures and the destination for throttling; the alarm names the rule and destination.',
    remediationUrl: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html',
  },
};

/** Short problem names for catalog rules; a rule missing here falls back to "fails <rule id>". */
const PROBLEMS: Readonly<Record<string, string>> = {
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
};

/** The publishing text of a rule id (catalog, runtime, or a generic fallback naming the id). */
export const ruleText = (ruleId: string): RuleText => {
  const runtime = RUNTIME[ruleId];
  if (runtime) return runtime;
  const rule = ruleById(ruleId);
  return {
    title: rule?.title ?? ruleId,
    problem: PROBLEMS[ruleId] ?? `fails ${ruleId}`,
    remediationText: rule?.remediation.text ?? 'See the finding for the exact fix.',
    remediationUrl: rule?.remediation.url ?? TROUBLESHOOTING,
  };
};
