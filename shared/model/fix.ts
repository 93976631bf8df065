/**
 * What a rule wants changed to pass (a `Change`), and what the fix planner makes of every change of a scan
 * (`FixStep`s: one per resource, carrying its whole new document, proven by re-evaluation). Rules say what
 * they need in these terms and never write commands; shared/fix merges, orders, proves and renders them.
 */
import type { PolicyDocument } from './snapshot.js';

/** A policy statement as a fix writes it (the shape AWS stores). */
export type Statement = Readonly<Record<string, unknown>>;

/** The document a policy change edits. */
export type PolicyHolder =
  | { readonly kind: 'bucket-policy'; readonly bucket: string; readonly accountId: string }
  | {
      readonly kind: 'key-policy';
      readonly keyArn: string;
      readonly accountId: string;
      readonly region: string;
    }
  | {
      readonly kind: 'trust-policy';
      readonly roleArn: string;
      readonly roleName: string;
      readonly accountId: string;
    }
  | {
      readonly kind: 'role-inline-policy';
      readonly roleArn: string;
      readonly roleName: string;
      readonly policyName: string;
      readonly accountId: string;
    }
  | {
      /** A customer managed policy: attached to the role, or its permissions boundary. */
      readonly kind: 'managed-policy';
      readonly policyArn: string;
      readonly policyName: string;
      readonly accountId: string;
      /** The role whose boundary or permissions it is (messages). */
      readonly roleArn: string;
    };

/** A deny statement to narrow so it no longer applies to `principalArn` (it keeps applying to everyone else). */
export interface Exemption {
  /** The statement's Sid, or `#n` (1-based position) when it has none. */
  readonly statement: string;
  readonly principalArn: string;
}

export interface RetentionSpec {
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  readonly days?: number;
  readonly years?: number;
}

/** Fields of a replication rule a change sets (only these; the rest stays as it is). */
export interface ReplicationRulePatch {
  readonly ruleId: string;
  readonly sseKmsEncryptedObjects?: 'Enabled';
  readonly replicaKmsKeyId?: string;
  readonly metrics?: { readonly status: 'Enabled'; readonly eventThresholdMinutes: number };
  readonly replicationTime?: { readonly status: 'Enabled'; readonly minutes: number };
  readonly destinationAccount?: string;
  readonly status?: 'Enabled';
}

/** A new replication rule: a copy of `like` (its filter and settings) to another destination. */
export interface ReplicationRuleAddition {
  readonly ruleId: string;
  readonly like: string;
  readonly destinationBucket: string;
  readonly destinationAccount?: string;
  readonly replicaKmsKeyId?: string;
}

export interface DataEventsSelectorSpec {
  /** The buckets whose object-level events (reads and writes) the selector logs. */
  readonly buckets: readonly string[];
}

export interface AlarmSpec {
  readonly name: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly actions: readonly string[];
}

export type Change =
  | {
      readonly kind: 'policy';
      readonly holder: PolicyHolder;
      readonly add?: readonly Statement[];
      readonly exempt?: readonly Exemption[];
    }
  | {
      readonly kind: 'versioning';
      readonly bucket: string;
      readonly accountId: string;
      readonly region?: string;
    }
  | {
      readonly kind: 'encryption';
      readonly bucket: string;
      readonly accountId: string;
      readonly region?: string;
      readonly keyId: string;
      readonly bucketKey: boolean;
    }
  | {
      readonly kind: 'object-lock';
      readonly bucket: string;
      readonly accountId: string;
      readonly region?: string;
      readonly retention?: RetentionSpec;
    }
  | {
      readonly kind: 'replication';
      readonly bucket: string;
      readonly accountId: string;
      readonly region: string;
      readonly patches?: readonly ReplicationRulePatch[];
      readonly additions?: readonly ReplicationRuleAddition[];
    }
  | {
      readonly kind: 'create-bucket';
      readonly bucket: string;
      readonly accountId: string;
      readonly region: string;
      readonly objectLock: boolean;
      /** Why this Region (a choice ReplGuard made that a person may change). */
      readonly regionChoice: string;
    }
  | {
      readonly kind: 'key-state';
      readonly keyArn: string;
      readonly accountId: string;
      readonly region: string;
      /** What it is now: `PendingDeletion` needs the deletion cancelled before it can be enabled. */
      readonly from: string;
    }
  | {
      /** A customer managed key, named by an alias (its id is only known once created). */
      readonly kind: 'create-key';
      readonly alias: string;
      readonly accountId: string;
      readonly region: string;
      readonly description: string;
    }
  | {
      readonly kind: 'create-role';
      readonly roleArn: string;
      readonly roleName: string;
      readonly accountId: string;
      /** The trust policy it starts with. */
      readonly trust: readonly Statement[];
    }
  | { readonly kind: 'alarm'; readonly accountId: string; readonly region: string; readonly alarm: AlarmSpec }
  | {
      readonly kind: 'alarm-actions';
      readonly accountId: string;
      readonly region: string;
      readonly alarmName: string;
    }
  | {
      /** An SNS topic S3 may publish the bucket's events to. */
      readonly kind: 'topic';
      readonly name: string;
      readonly accountId: string;
      readonly region: string;
      readonly publishers: readonly string[];
    }
  | {
      readonly kind: 'notification';
      readonly bucket: string;
      readonly accountId: string;
      readonly region: string;
      readonly id: string;
      readonly topicArn: string;
      readonly events: readonly string[];
    }
  | {
      readonly kind: 'trail-selectors';
      readonly trailArn: string;
      readonly trailName: string;
      readonly accountId: string;
      readonly region: string;
      readonly selector: DataEventsSelectorSpec;
    }
  | {
      readonly kind: 'trail-logging';
      readonly trailArn: string;
      readonly trailName: string;
      readonly accountId: string;
      readonly region: string;
    }
  | {
      /**
       * Replicate the objects live replication left behind (FAILED, or never attempted) with an S3 Batch
       * Replication job, once everything else of the pair is fixed.
       */
      readonly kind: 'backfill';
      readonly bucket: string;
      readonly accountId: string;
      readonly region: string;
      /** Replication rule ids whose objects are copied. */
      readonly ruleIds: readonly string[];
      /** Batch Replication `ObjectReplicationStatuses` (`FAILED`, `NONE`). */
      readonly statuses: readonly BackfillStatus[];
    }
  | {
      /** Nothing ReplGuard can do safely on its own: the decision a person must make, in words. */
      readonly kind: 'decision';
      readonly accountId: string;
      readonly text: string;
    };

export type ChangeKind = Change['kind'];

/** The replication statuses a Batch Replication job may select (S3 Control `ObjectReplicationStatuses`). */
export const BACKFILL_STATUSES = ['FAILED', 'NONE', 'COMPLETED', 'REPLICA'] as const;
export type BackfillStatus = (typeof BACKFILL_STATUSES)[number];

/** One step of a fix plan: one resource, one (or two, for a new key) AWS call with its whole new state. */
export interface FixStep {
  /** 1-based position in the plan. */
  readonly step: number;
  /** What the step changes, in words ("the bucket policy of phi-dr"). */
  readonly resource: string;
  /** Resource type (`bucket-policy`, `role-inline-policy`, `versioning`, …). */
  readonly resourceType: string;
  /** ARN of the resource changed (or to be created). */
  readonly resourceArn: string;
  readonly accountId: string;
  readonly region: string;
  /** The AWS CLI command, verbatim (run with credentials of `accountId`). */
  readonly command: string;
  /** What the step does, in a sentence. */
  readonly summary: string;
  /** Rule ids this step is part of the fix for. */
  readonly fixes: readonly string[];
  /** Steps that must run first. */
  readonly after: readonly number[];
}

/** The fix of one result: the steps it needs (dependencies included, in order), or the decision it waits on. */
export interface ResultFix {
  readonly steps: readonly number[];
  /** Proven by re-evaluating the catalog with every step applied: this result then passes. */
  readonly proven: boolean;
  /** When no safe change can be proven: what a person must decide. */
  readonly decision?: string;
}

/** A policy document as a step writes it. */
export type PlannedDocument = PolicyDocument & {
  readonly Version: string;
  readonly Statement: readonly Statement[];
};
