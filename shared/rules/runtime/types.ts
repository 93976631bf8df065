import type { FindingKey } from '../../findings/identity.js';
import type { PreviousFinding } from '../../findings/lifecycle.js';
import type { Diagnosis } from '../../model/diagnosis.js';
import type { RuleMetadata, RuleResult } from '../../model/result.js';

/** What a runtime rule judges an observation with, besides the observation itself. */
export interface RuntimeContext {
  /** The catalog's verdict on the source bucket (absent when the observation needs none, e.g. an alarm back to OK). */
  readonly diagnosis?: Diagnosis;
  /** The account that owns the source bucket (from the diagnosis, else the best hint). */
  readonly accountId: string;
  /** The finding as stored (read once per batch): ACTIVE findings carry the counts so far. */
  readonly previous?: PreviousFinding;
}

/**
 * A rule reported at runtime from what S3 and CloudWatch observe (replication events, backlog alarms) rather
 * than from a snapshot: the same metadata as a catalog rule, beside its logic. `findingKey` names the finding
 * an observation is about before the result is built, so the framework reads the stored state once and
 * builds each result once with it.
 */
export interface RuntimeRule<Input = never> extends RuleMetadata {
  /** What reports it. */
  readonly source: string;
  readonly findingKey: (input: Input, accountId: string) => FindingKey;
  readonly evaluate: (input: Input, context: RuntimeContext) => RuleResult;
  /**
   * Whether an ACTIVE finding of this rule resolves, judged when its source bucket is re-evaluated (the
   * periodic run, a change): the reason it does, or undefined while it holds. Rules resolved by their own
   * signal (an alarm back to OK) have none.
   */
  readonly reassess?: (stored: PreviousFinding, context: ReassessContext) => string | undefined;
}

/** What a stored runtime finding is reassessed with. */
export interface ReassessContext {
  /** The catalog's results about the finding's pair, from the bucket's fresh evaluation. */
  readonly pairResults: readonly RuleResult[];
  readonly now: Date;
  /** How long without a new event before an incident may close. */
  readonly quietPeriodMs: number;
}

/** Identity helper that checks a runtime rule's shape. */
export const defineRuntimeRule = <Input>(rule: RuntimeRule<Input>): RuntimeRule<Input> => rule;
