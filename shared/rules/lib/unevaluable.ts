import type { RuleResult } from '../../model/result.js';
import { unevaluable } from '../../policy/errors.js';
import type { ResultBuilder, ResultScope } from '../result.js';

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
