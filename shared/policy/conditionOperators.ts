/**
 * A workaround for a hot spot in @cloud-copilot/iam-policy (0.1.109): the simulator re-parses a condition's
 * operator (`StringLikeIfExists`, `ForAnyValue:StringEquals`) several times per condition per simulation,
 * and each parse compares case-insensitively with `String.prototype.localeCompare` (an ICU collation, slow).
 * That was about a fifth of ReplGuard's evaluation CPU. The answers depend on the operator string alone,
 * so they are memoised per string on the library's operator class (not exported: reached through a parsed
 * policy). Same answers, same errors; only computed once. If the library changes shape, nothing is patched.
 *
 * REMOVE once iam-policy stops calling localeCompare per evaluation (or caches parsed operators).
 */
import { loadPolicy } from '@cloud-copilot/iam-policy';

/** The operator methods the simulator calls per evaluation; all pure functions of the operator string. */
const METHODS = ['baseOperator', 'isIfExists', 'setOperator'] as const;

/** Distinct operator strings remembered per method (operators come from validated policies: few). */
const CACHE_LIMIT = 1_000;

const MEMOISED = Symbol.for('replguard.memoisedConditionOperators');

type OperatorMethod = (this: { value(): string }) => unknown;
type OperatorPrototype = Record<string, unknown> & { [MEMOISED]?: true };

/** The prototype of the library's condition operator objects, from a parsed one-condition policy. */
const operatorPrototype = (): OperatorPrototype | undefined => {
  const policy = loadPolicy({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
      },
    ],
  });
  const operation = policy.statements()[0]?.conditions()[0]?.operation();
  return operation ? (Object.getPrototypeOf(operation) as OperatorPrototype) : undefined;
};

/** `method`, answering from a per-operator-string memo; a throw (unknown set operator) is not remembered. */
const memoised = (method: OperatorMethod): OperatorMethod => {
  const answers = new Map<string, unknown>();
  return function memoisedOperatorMethod(this: { value(): string }): unknown {
    const op = this.value();
    if (answers.has(op)) return answers.get(op);
    const answer = method.call(this);
    if (answers.size >= CACHE_LIMIT) answers.clear();
    answers.set(op, answer);
    return answer;
  };
};

/**
 * Memoises the condition operator parsing of iam-policy, once per process (idempotent). Returns whether the
 * memo is in place (false if the library no longer has the expected shape: then it is left untouched).
 */
export const memoiseConditionOperators = (): boolean => {
  const proto = operatorPrototype();
  if (!proto) return false;
  if (proto[MEMOISED]) return true;
  const originals = METHODS.map((name) => proto[name]);
  if (typeof proto.value !== 'function' || !originals.every((m) => typeof m === 'function')) return false;
  METHODS.forEach((name, i) => {
    proto[name] = memoised(originals[i] as OperatorMethod);
  });
  proto[MEMOISED] = true;
  return true;
};
