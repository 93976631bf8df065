import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { PendingAlert, PreviousFinding } from '../findings/lifecycle.js';
import {
  SEVERITY_ORDER,
  type ResourceRef,
  type RuleResult,
  type Severity,
  type Status,
} from '../model/result.js';
import { Field } from './asff.js';

const STATUSES: readonly string[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'UNKNOWN'];

const asSeverity = (value: string | undefined): Severity | undefined =>
  value && (SEVERITY_ORDER as readonly string[]).includes(value) ? (value as Severity) : undefined;

/**
 * The lifecycle state stored in a finding ReplGuard imported earlier. RESOLVED when archived or PASSED,
 * ACTIVE otherwise; status, severity, message hash and fingerprint come from its ProductFields.
 */
export const previousFromAsff = (finding: AwsSecurityFinding): PreviousFinding | undefined => {
  if (!finding.Id) return undefined;
  const pf = finding.ProductFields ?? {};
  const status = pf[Field.status];
  const severity = asSeverity(pf[Field.severity]) ?? asSeverity(finding.Severity?.Label);
  const ruleId = pf[Field.ruleId] ?? finding.GeneratorId?.replace(/^replguard\//, '');
  const bucket = pf[Field.bucket];
  const details = Object.fromEntries(
    Object.entries(pf)
      .filter(([k]) => k.startsWith(Field.details))
      .map(([k, v]) => [k.slice(Field.details.length), v]),
  );
  const pending = readPending(pf[Field.alertPending]);
  return {
    id: finding.Id,
    state:
      finding.RecordState === 'ARCHIVED' || finding.Compliance?.Status === 'PASSED' ? 'RESOLVED' : 'ACTIVE',
    ...(status && STATUSES.includes(status) ? { status: status as Status } : {}),
    ...(severity ? { severity } : {}),
    ...(pf[Field.messageHash] ? { messageHash: pf[Field.messageHash] } : {}),
    ...(pf[Field.fingerprint] ? { fingerprint: pf[Field.fingerprint] } : {}),
    ...(finding.CreatedAt ? { createdAt: finding.CreatedAt } : {}),
    ...(finding.FirstObservedAt ? { firstObservedAt: finding.FirstObservedAt } : {}),
    ...(finding.LastObservedAt ? { lastObservedAt: finding.LastObservedAt } : {}),
    ...(finding.UpdatedAt ? { updatedAt: finding.UpdatedAt } : {}),
    suppressed: finding.Workflow?.Status === 'SUPPRESSED',
    ...(bucket ? { bucket } : {}),
    ...(ruleId ? { ruleId } : {}),
    ...(Object.keys(details).length > 0 ? { details } : {}),
    ...(pf[Field.destination] ? { destinationBucket: pf[Field.destination] } : {}),
    ...(pf[Field.replicationRule] ? { replicationRuleId: pf[Field.replicationRule] } : {}),
    ...(pending ? { alertPending: pending } : {}),
    ...(pf[Field.exception] ? { exceptionUntil: pf[Field.exception] } : {}),
  };
};

const TRANSITIONS: readonly string[] = ['new', 'changed', 'resolved'];

/** The alert a finding still owes, from its ProductField (ignored when unreadable). */
const readPending = (text: string | undefined): PendingAlert | undefined => {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { transition?: unknown; sinks?: unknown };
    const sinks = Array.isArray(value.sinks)
      ? value.sinks.filter((s): s is string => typeof s === 'string')
      : [];
    return typeof value.transition === 'string' && TRANSITIONS.includes(value.transition) && sinks.length > 0
      ? { transition: value.transition as PendingAlert['transition'], sinks }
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * A NOT_APPLICABLE result standing in for a finding that a complete evaluation no longer reports (its
 * replication rule or destination is gone), rebuilt from the stored finding so it can be resolved and
 * announced like any other.
 */
export const resultFromAsff = (
  finding: AwsSecurityFinding,
  reason: string,
  status: 'COMPLIANT' | 'NOT_APPLICABLE' = 'NOT_APPLICABLE',
): RuleResult => {
  const pf = finding.ProductFields ?? {};
  const source = finding.Resources?.find((r) => r.Type === 'AwsS3Bucket');
  const region = source?.Region ?? finding.ProductArn?.split(':')[3] ?? '';
  const bucket = pf[Field.bucket] ?? source?.Id?.replace(/^arn:[^:]+:s3:::/, '') ?? '';
  const resources: ResourceRef[] = (finding.Resources ?? [])
    .filter((r) => (r.Type === 'AwsKmsKey' || r.Type === 'AwsIamRole') && r.Id)
    .map((r) => ({ type: r.Type as ResourceRef['type'], id: r.Id as string }));
  const title = finding.Title ?? pf[Field.ruleId] ?? 'ReplGuard finding';
  const variant = pf[Field.variant];
  return {
    ruleId: pf[Field.ruleId] ?? finding.GeneratorId?.replace(/^replguard\//, '') ?? 'unknown',
    status,
    severity: asSeverity(pf[Field.severity]) ?? asSeverity(finding.Severity?.Original) ?? 'INFORMATIONAL',
    bucket,
    destinationBucket: pf[Field.destination] ?? null,
    replicationRuleId: pf[Field.replicationRule] ?? null,
    message:
      status === 'COMPLIANT' ? `${title}: resolved, ${reason}.` : `${title}: no longer reported (${reason}).`,
    remediation: '',
    hipaa: (finding.Compliance?.RelatedRequirements ?? []).map((c) => c.replace(/^HIPAA /, '')),
    accountId: finding.AwsAccountId ?? '',
    region,
    ...(resources.length ? { resources } : {}),
    // the failure reason is part of a runtime finding's identity: keep it so the id comes out the same
    ...(variant ? { details: { failureReason: variant } } : {}),
  };
};
