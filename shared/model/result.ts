/**
 * What an evaluation produces: one result per rule and replication path, with its status, severity, HIPAA
 * citations and the exact fix. Shared by the rules that make results and everything that reads them
 * (findings, publishing, the CLI), so none of those depends on the rule catalog.
 */
import type { Change, ResultFix } from './fix.js';

export const Status = {
  Compliant: 'COMPLIANT',
  NonCompliant: 'NON_COMPLIANT',
  NotApplicable: 'NOT_APPLICABLE',
  Unknown: 'UNKNOWN',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

export const Severity = {
  Critical: 'CRITICAL',
  High: 'HIGH',
  Medium: 'MEDIUM',
  Low: 'LOW',
  Informational: 'INFORMATIONAL',
} as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** Most severe first. */
export const SEVERITY_ORDER: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];

/** HIPAA Security Rule citations (45 CFR Part 164) used by the catalog. */
export const Hipaa = {
  DataBackup: '164.308(a)(7)(ii)(A)',
  DisasterRecovery: '164.308(a)(7)(ii)(B)',
  /** Testing and revision procedures of the contingency plan (the replication canary tests it). */
  ContingencyTesting: '164.308(a)(7)(ii)(D)',
  IncidentResponse: '164.308(a)(6)(ii)',
  AccessControl: '164.312(a)(1)',
  Encryption: '164.312(a)(2)(iv)',
  AuditControls: '164.312(b)',
  Integrity: '164.312(c)(1)',
  TransmissionSecurity: '164.312(e)(1)',
} as const;
export type HipaaCitation = (typeof Hipaa)[keyof typeof Hipaa];

export interface Remediation {
  /** What to do, in one or two sentences. */
  readonly text: string;
  /** AWS documentation page. */
  readonly url: string;
}

/** An AWS resource a result points at (for Security Hub `Resources`). */
export interface ResourceRef {
  readonly type: 'AwsS3Bucket' | 'AwsKmsKey' | 'AwsIamRole';
  /** ARN. */
  readonly id: string;
}

/** The outcome of one rule for one (source bucket, destination, replication rule). */
export interface RuleResult {
  readonly ruleId: string;
  readonly status: Status;
  readonly severity: Severity;
  readonly bucket: string;
  readonly destinationBucket: string | null;
  readonly replicationRuleId: string | null;
  /** Names the buckets, rule, key or role involved. */
  readonly message: string;
  /** The exact fix for this case: the missing action, the statement to add, the command to run. */
  readonly remediation: string;
  readonly hipaa: readonly string[];
  /** Account and Region of the source bucket. */
  readonly accountId: string;
  readonly region: string;
  /** Account of the destination bucket, when the result is about one (it differs across accounts). */
  readonly destinationAccountId?: string;
  /** Resources the cause lives in (source and destination buckets are always implied). */
  readonly resources?: readonly ResourceRef[];
  /** Structured detail (e.g. a permission-chain verdict), for JSON output and findings. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** A risk accepted for this bucket and rule (shared/findings/exceptions.ts): the status stays as it is. */
  readonly exception?: ResultException;
  /** What the rule wants changed to pass (internal: the fix planner turns these into `fix`). */
  readonly changes?: readonly Change[];
  /** The planned fix: the steps (of the scan's plan) this result needs, or the decision it waits on. */
  readonly fix?: ResultFix;
}

/** A documented risk acceptance applying to a result, and whether it still holds. */
export interface ResultException {
  /** `active`: the finding is suppressed and pages no one; `expired`: it is active again. */
  readonly status: 'active' | 'expired';
  readonly justification: string;
  readonly owner: string;
  /** The last day it holds (YYYY-MM-DD, UTC). */
  readonly expires: string;
}

/** What every rule declares besides its logic (catalog and runtime rules alike). */
export interface RuleMetadata {
  readonly id: string;
  readonly title: string;
  /** A few words naming what is wrong when the rule fails (alert subjects, chat titles). */
  readonly problem: string;
  readonly severity: Severity;
  readonly hipaa: readonly HipaaCitation[];
  readonly remediation: Remediation;
}
