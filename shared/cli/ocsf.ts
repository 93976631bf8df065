/**
 * OCSF 1.5.0 Compliance Findings (class_uid 2003, category Findings, cloud profile) for the security lakes and
 * SIEMs that speak OCSF (Security Lake, the new Security Hub, Prowler's consumers): one finding per rule result,
 * as a JSON array (`replguard scan --format ocsf`). The verdict is in `compliance` (HIPAA, the citations as
 * requirements, the rule id as control, Pass/Fail/Warning); the finding's own `status_id` is New, or Suppressed
 * under an active risk exception. Object keys are hashed as everywhere else (shared/findings/redaction.ts).
 */
import { findingIdOf } from '../findings/identity.js';
import { redactionSettings, redactResult } from '../findings/redaction.js';
import { arns, partitionOf, partitionOfArn } from '../model/partition.js';
import type { RuleResult, Severity, Status } from '../model/result.js';
import { findingTitle, HIPAA_TYPE } from '../publish/asff.js';
import { ruleText } from '../publish/ruleText.js';
import { VERSION } from '../version.js';

export const OCSF_VERSION = '1.5.0';

/** OCSF `severity_id` and its caption. */
const SEVERITY: Record<Severity, readonly [number, string]> = {
  CRITICAL: [5, 'Critical'],
  HIGH: [4, 'High'],
  MEDIUM: [3, 'Medium'],
  LOW: [2, 'Low'],
  INFORMATIONAL: [1, 'Informational'],
};

/** `compliance.status_id`: Pass, Fail, Warning ("did not yield a result due to missing information"), Other. */
const COMPLIANCE_STATUS: Record<Status, readonly [number, string]> = {
  COMPLIANT: [1, 'Pass'],
  NON_COMPLIANT: [3, 'Fail'],
  UNKNOWN: [2, 'Warning'],
  NOT_APPLICABLE: [99, 'Not Applicable'],
};

const CREATE = { activity_id: 1, activity_name: 'Create', type_uid: 200301 } as const;

/** OCSF `resource_details` for the buckets, keys and roles a result is about. */
const resourcesOf = (r: RuleResult): Record<string, unknown>[] => {
  const partition = partitionOf(r.region);
  const destinationRegion = r.details?.destinationRegion;
  const out: Record<string, unknown>[] = [
    {
      uid: arns.bucket(r.region, r.bucket),
      name: r.bucket,
      type: 'AwsS3Bucket',
      region: r.region,
      cloud_partition: partition,
      labels: ['source'],
    },
  ];
  if (r.destinationBucket)
    out.push({
      uid: arns.bucket(r.region, r.destinationBucket),
      name: r.destinationBucket,
      type: 'AwsS3Bucket',
      ...(typeof destinationRegion === 'string' ? { region: destinationRegion } : {}),
      cloud_partition: partition,
      labels: ['destination'],
    });
  for (const ref of r.resources ?? []) {
    if (out.some((o) => o.uid === ref.id)) continue;
    const region = ref.id.split(':')[3];
    out.push({
      uid: ref.id,
      type: ref.type,
      ...(region ? { region } : {}),
      cloud_partition: partitionOfArn(ref.id),
    });
  }
  return out;
};

export interface OcsfOptions {
  /** The event and creation time (default now). */
  readonly now?: Date;
  /** Hash object keys (default: as REPLGUARD_REDACTION says, on unless "off"). */
  readonly redactObjectKeys?: boolean;
}

/** One OCSF Compliance Finding for a rule result. */
export const toOcsfFinding = (result: RuleResult, options: OcsfOptions = {}): Record<string, unknown> => {
  const r = redactResult(
    result,
    redactionSettings(
      options.redactObjectKeys === undefined ? {} : { redactObjectKeys: options.redactObjectKeys },
      result.accountId,
    ),
  );
  const time = (options.now ?? new Date()).getTime();
  const [severityId, severity] = SEVERITY[r.severity];
  const [complianceId, complianceStatus] = COMPLIANCE_STATUS[r.status];
  const suppressed = r.exception?.status === 'active';
  const text = ruleText(r.ruleId);
  const id = findingIdOf(r);
  return {
    ...CREATE,
    category_uid: 2,
    category_name: 'Findings',
    class_uid: 2003,
    class_name: 'Compliance Finding',
    type_name: 'Compliance Finding: Create',
    severity_id: severityId,
    severity,
    status_id: suppressed ? 3 : 1,
    status: suppressed ? 'Suppressed' : 'New',
    status_code: r.status,
    time,
    message: r.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'ReplGuard', uid: 'replguard', vendor_name: 'ReplGuard', version: VERSION },
      profiles: ['cloud'],
      event_code: r.ruleId,
      uid: id,
    },
    finding_info: {
      uid: id,
      title: findingTitle(r),
      desc: r.message,
      types: [HIPAA_TYPE],
      created_time: time,
      src_url: text.remediationUrl,
    },
    compliance: {
      standards: ['HIPAA'],
      requirements: [...r.hipaa],
      control: r.ruleId,
      desc: text.title,
      status: complianceStatus,
      status_id: complianceId,
      status_code: r.status,
      status_detail: r.message,
    },
    resources: resourcesOf(r),
    cloud: {
      provider: 'AWS',
      region: r.region,
      account: { uid: r.accountId, type: 'AWS Account', type_id: 10 },
    },
    remediation: {
      desc: r.remediation || text.remediationText,
      references: [text.remediationUrl],
    },
    unmapped: {
      replguard: {
        ruleId: r.ruleId,
        bucket: r.bucket,
        destinationBucket: r.destinationBucket,
        replicationRuleId: r.replicationRuleId,
        ...(r.destinationAccountId ? { destinationAccountId: r.destinationAccountId } : {}),
        ...(r.details ? { details: r.details } : {}),
        ...(r.exception ? { exception: r.exception } : {}),
      },
    },
  };
};

/** The results as OCSF Compliance Findings: a JSON array, one finding per result. */
export const toOcsf = (
  results: readonly RuleResult[],
  options: OcsfOptions = {},
): Record<string, unknown>[] => {
  const now = options.now ?? new Date();
  return results.map((r) => toOcsfFinding(r, { ...options, now }));
};
