import { DataSource, unknown, type UnknownDatum } from '../model/datum.js';
import type { ResultBuilder, ResultScope } from '../rules/result.js';
import type { RuleResult } from '../rules/types.js';

/** Errors of the policy engine: a policy it cannot evaluate, or a simulator failure. */
export class PolicyEvaluationError extends Error {
  override readonly name = 'PolicyEvaluationError';
  constructor(
    message: string,
    readonly code: 'INVALID_POLICY' | 'SIMULATION_FAILED',
    /** The policy concerned ("bucket policy of phi-dr", "inline policy replication of role …"). */
    readonly policy?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The reason a policy could not be evaluated, as an unknown datum for `results.unknown`; rethrows anything
 * that is not a PolicyEvaluationError (a defect, which the engine reports as such).
 */
export const unevaluable = (error: unknown): UnknownDatum => {
  if (!(error instanceof PolicyEvaluationError)) throw error;
  return unknown(error.message, undefined, DataSource.Derived);
};

/** UNKNOWN for a policy that cannot be evaluated (rethrows anything else): says so, and what to do. */
export const unevaluableResult = (
  results: ResultBuilder,
  what: string,
  error: unknown,
  scope?: ResultScope,
): RuleResult => {
  const datum = unevaluable(error);
  return {
    ...results.unknown(what, datum, scope),
    message: `Could not evaluate ${what}: ${datum.reason}.`,
    remediation: `Check ${what}: ReplGuard's IAM simulator cannot evaluate it as it is. If AWS accepts it, report the policy shape to ReplGuard (without account data).`,
  };
};
