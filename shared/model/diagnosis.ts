import type { RuleResult } from './result.js';

/** One replicated pair: a source bucket, a destination and the replication rule between them. */
export interface PairRef {
  readonly bucket: string;
  readonly destinationBucket: string;
  readonly replicationRuleId: string;
}

/**
 * The catalog's verdict on a source bucket that S3 or CloudWatch reports as failing: every rule's results
 * for it, read in the account that owns it, or why it could not be read.
 */
export type Diagnosis =
  | {
      readonly ok: true;
      readonly accountId: string;
      readonly region: string;
      readonly results: readonly RuleResult[];
    }
  | { readonly ok: false; readonly reason: string };
