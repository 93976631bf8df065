/**
 * Whether a statement's `Action` can match a request's action, decided the way the IAM simulator matches
 * actions: the service prefix compared case-insensitively, then the action name against the pattern with `*`
 * and `?` wildcards, case-insensitively. Used to skip, before simulating statements one by one, those that
 * cannot decide a request. Anything not plainly understood (`NotAction`, a pattern with other characters)
 * counts as "may match", so the simulator decides it.
 */

type Statement = Readonly<Record<string, unknown>>;

/** An action name the simulator's pattern matching reads literally, apart from `*` and `?`. */
const PLAIN_PATTERN = /^[A-Za-z0-9*?]+$/;

const patterns = new Map<string, RegExp>();

/** The simulator's regular expression for a plain action-name pattern (memoised). */
const patternRegex = (name: string): RegExp => {
  let regex = patterns.get(name);
  if (!regex) {
    regex = new RegExp(`^${name.replace(/\?/g, '.').replace(/\*/g, '.*?')}$`, 'i');
    if (patterns.size >= 1_000) patterns.clear();
    patterns.set(name, regex);
  }
  return regex;
};

/** False only when `pattern` (one entry of `Action`) certainly does not match `action` (`s3:GetObject`). */
export const actionPatternMayMatch = (pattern: unknown, action: string): boolean => {
  if (typeof pattern !== 'string') return true;
  const colon = pattern.indexOf(':');
  const [service, requestName] = action.split(':');
  if (colon < 0 || requestName === undefined) return true;
  if (pattern.slice(0, colon).toLowerCase() !== service?.toLowerCase()) return false;
  const name = pattern.slice(colon + 1);
  if (!PLAIN_PATTERN.test(name)) return true;
  return patternRegex(name).test(requestName);
};

/** False only when `statement` certainly does not apply to `action`: none of its `Action` patterns match. */
export const statementMayMatchAction = (statement: Statement, action: string): boolean => {
  if (statement.NotAction !== undefined || statement.Action === undefined) return true;
  const list: unknown[] = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
  return list.some((pattern) => actionPatternMayMatch(pattern, action));
};
