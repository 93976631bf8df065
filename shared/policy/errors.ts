import { DataSource, unknown, type UnknownDatum } from '../model/datum.js';

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
