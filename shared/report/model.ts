/**
 * The evidence report's model: what a scan found, arranged for people (a summary, each replication pair as a
 * path of hops, the findings grouped by cause with their fixes, a HIPAA matrix). Built from the scan's
 * results, snapshots and fix plan by pure code; `html.ts` renders it. Every object key in it is hashed.
 */
import type { FixStep } from '../model/fix.js';
import type { RuleResult, Severity, Status } from '../model/result.js';
import type { ScanParameters, Snapshot } from '../model/snapshot.js';
import type { Hop, HopStatus } from './hops.js';

/** One labelled value shown in a box or list; `unknown` when it could not be read (the value says why). */
export interface Fact {
  readonly label: string;
  readonly value: string;
  readonly unknown?: boolean;
}

/** One result as a hop or bucket lists it. */
export interface Check {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: Status;
  readonly message: string;
}

export interface HopModel {
  readonly hop: Hop;
  readonly label: string;
  readonly status: HopStatus;
  readonly facts: readonly Fact[];
  readonly checks: readonly Check[];
}

export interface PairModel {
  readonly source: string;
  readonly destination: string;
  readonly ruleId: string;
  /** Why the source is in scope ("replication configured", "tagged DataClassification=PHI"). */
  readonly scope: string;
  /** The worst status of its hops. */
  readonly status: HopStatus;
  /** Source, role, keys, destination (in that order). */
  readonly hops: readonly HopModel[];
  /** The pair itself: cross-Region copy, metrics, RTC, alarms, notifications, data events, backlog. */
  readonly pair: HopModel;
}

/** An in-scope bucket with no replication pair to draw (no replication, or it could not be read). */
export interface LoneBucket {
  readonly bucket: string;
  readonly scope: string;
  readonly status: HopStatus;
  readonly facts: readonly Fact[];
  readonly checks: readonly Check[];
}

/** One result a finding explains. */
export interface Affected {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  /** `phi-prod → phi-dr (rule phi-to-dr)`. */
  readonly path: string;
  readonly message: string;
  /** The AWS documentation page of the rule. */
  readonly docs: string;
  /** "Risk accepted by … until …: …", when an exception applies. */
  readonly exception?: string;
}

/** Results with one cause (shared/cli/causes.ts), with what to do about it. */
export interface Finding {
  readonly status: Status;
  /** The most severe of its results. */
  readonly severity: Severity;
  readonly cause: string;
  /** What to do, in words (the commands are `steps`). */
  readonly fix: string;
  /** The plan's steps it needs, in plan order. */
  readonly steps: readonly FixStep[];
  /** What a person must decide (no command is printed for these). */
  readonly decisions: readonly string[];
  readonly facts: readonly Fact[];
  readonly affected: readonly Affected[];
}

export interface MatrixCell {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: HopStatus;
  readonly counts: Readonly<Record<Status, number>>;
}

export interface MatrixRow {
  readonly citation: string;
  /** The safeguard's name ("Contingency plan: data backup plan"). */
  readonly safeguard: string;
  readonly status: HopStatus;
  readonly cells: readonly MatrixCell[];
}

export type Verdict = 'PASS' | 'FAIL' | 'INCOMPLETE';

export interface Summary {
  /** FAIL: something NON_COMPLIANT; INCOMPLETE: nothing failing but something UNKNOWN or not scanned; else PASS. */
  readonly verdict: Verdict;
  readonly results: number;
  readonly byStatus: Readonly<Record<Status, number>>;
  /** NON_COMPLIANT and UNKNOWN results per severity, most severe first. */
  readonly bySeverity: readonly {
    readonly severity: Severity;
    readonly failing: number;
    readonly unknown: number;
  }[];
  readonly buckets: number;
  readonly pairs: number;
  readonly pairsByStatus: Readonly<Record<HopStatus, number>>;
  readonly steps: number;
  readonly decisions: number;
  /** Failing results whose risk is accepted by an active exception. */
  readonly accepted: number;
}

export interface ScanError {
  readonly bucket: string;
  readonly code: string;
  readonly message: string;
}

export interface ReportModel {
  readonly title: string;
  /** ISO 8601, UTC. */
  readonly generatedAt: string;
  readonly accountId: string;
  readonly region: string;
  readonly version: string;
  /** What was scanned and how (target, scope tag, parameters). */
  readonly scope: readonly Fact[];
  readonly summary: Summary;
  readonly pairs: readonly PairModel[];
  readonly lone: readonly LoneBucket[];
  readonly findings: readonly Finding[];
  readonly steps: readonly FixStep[];
  /** What the planner could not verify before applying. */
  readonly caveats: readonly string[];
  readonly matrix: readonly MatrixRow[];
  readonly errors: readonly ScanError[];
  /** The rule → hop mapping, for the legend. */
  readonly legend: readonly {
    readonly hop: Hop;
    readonly label: string;
    /** The column heading in the summary. */
    readonly short: string;
    readonly rules: readonly string[];
  }[];
}

/** What the report is built from: one scan (shared/engine/scan.ts) and how it was asked for. */
export interface ReportInput {
  readonly accountId: string;
  readonly region: string;
  readonly generatedAt: Date;
  readonly version: string;
  readonly target: { readonly buckets: readonly string[]; readonly all: boolean };
  readonly parameters: ScanParameters;
  readonly results: readonly RuleResult[];
  readonly snapshots: readonly Snapshot[];
  readonly steps: readonly FixStep[];
  readonly caveats?: readonly string[];
  readonly errors?: readonly ScanError[];
  /** Salt of the object-key hashes (default: REPLGUARD_REDACTION_SALT, else derived from the account). */
  readonly salt?: string;
}
