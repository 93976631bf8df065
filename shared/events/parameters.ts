/**
 * ReplGuard's scan parameters from the AWS Config rule's `ruleParameters` (a JSON object of strings, as
 * Config passes `InputParameters`) or from the functions' environment. Both go through the same
 * validation, so a typo in a stack parameter fails loudly instead of silently scanning the wrong scope.
 */
import { DEFAULT_PARAMETERS, type ScanParameters } from '../model/snapshot.js';
import { EventError, EventErrorCode, parseJsonText } from './errors.js';

/** Parameter names we accept (compared case-insensitively: Config users write `ScopeTagKey` as often as `scopeTagKey`). */
export const PARAMETER_NAMES = [
  'scopeTag',
  'scopeTagKey',
  'scopeTagValue',
  'requireCrossRegion',
  'requireRtc',
  'crossAccountRoleName',
  'objectSampleSize',
] as const;
type ParameterName = (typeof PARAMETER_NAMES)[number];

/** The environment variables the stack sets (serverless.yml `provider.environment`). */
export const PARAMETER_ENV: Readonly<Record<Exclude<ParameterName, 'scopeTag'>, string>> = {
  scopeTagKey: 'REPLGUARD_SCOPE_TAG_KEY',
  scopeTagValue: 'REPLGUARD_SCOPE_TAG_VALUE',
  requireCrossRegion: 'REPLGUARD_REQUIRE_CROSS_REGION',
  requireRtc: 'REPLGUARD_REQUIRE_RTC',
  crossAccountRoleName: 'REPLGUARD_CROSS_ACCOUNT_ROLE_NAME',
  objectSampleSize: 'REPLGUARD_OBJECT_SAMPLE_SIZE',
};

/** The largest object sample a scan may take per bucket. */
export const MAX_OBJECT_SAMPLE = 100_000;

/** IAM role names: 1–64 of letters, digits and `+=,.@_-`. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;

const canonicalName = (name: string): ParameterName | undefined =>
  PARAMETER_NAMES.find((n) => n.toLowerCase() === name.toLowerCase());

const asBoolean = (name: string, value: unknown, problems: string[]): boolean | undefined => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  problems.push(`${name} must be true or false (a boolean or the text "true"/"false")`);
  return undefined;
};

const asText = (name: string, value: unknown, problems: string[]): string | undefined => {
  if (typeof value === 'string') return value.trim();
  problems.push(`${name} must be text`);
  return undefined;
};

/** True for a value the operator left empty (stack parameters default to ''): the default applies. */
const isUnset = (value: unknown): boolean => value === undefined || value === null || value === '';

const splitScopeTag = (raw: string, problems: string[]): ScanParameters['scopeTag'] | undefined => {
  const at = raw.indexOf('=');
  if (at <= 0) {
    problems.push('scopeTag must be KEY=VALUE with a non-empty KEY (for example DataClassification=PHI)');
    return undefined;
  }
  return { key: raw.slice(0, at).trim(), value: raw.slice(at + 1).trim() };
};

const checkTag = (tag: ScanParameters['scopeTag'], problems: string[]): void => {
  if (!tag.key || tag.key.length > TAG_KEY_MAX)
    problems.push(`the scope tag key must be 1 to ${TAG_KEY_MAX} characters`);
  if (tag.value.length > TAG_VALUE_MAX)
    problems.push(`the scope tag value must be at most ${TAG_VALUE_MAX} characters`);
};

/**
 * Validates raw parameters (any case of the names above; values as Config passes them: strings) and merges
 * them over the defaults. `scopeTag` "KEY=VALUE" and the `scopeTagKey`/`scopeTagValue` pair are alternatives.
 * Throws {@link EventError} `INVALID_RULE_PARAMETERS` listing every problem.
 */
export const validateParameters = (
  raw: Readonly<Record<string, unknown>>,
  source = 'ruleParameters',
): ScanParameters => {
  const problems: string[] = [];
  const given: Partial<Record<ParameterName, unknown>> = {};
  for (const [name, value] of Object.entries(raw)) {
    const canonical = canonicalName(name);
    if (!canonical) {
      problems.push(`unknown parameter "${name.slice(0, 64)}" (known: ${PARAMETER_NAMES.join(', ')})`);
      continue;
    }
    if (!isUnset(value)) given[canonical] = value;
  }
  let scopeTag = DEFAULT_PARAMETERS.scopeTag;
  if (given.scopeTag !== undefined) {
    if (given.scopeTagKey !== undefined || given.scopeTagValue !== undefined)
      problems.push('give either scopeTag or scopeTagKey/scopeTagValue, not both');
    const text = asText('scopeTag', given.scopeTag, problems);
    const tag = text === undefined ? undefined : splitScopeTag(text, problems);
    if (tag) scopeTag = tag;
  } else if (given.scopeTagKey !== undefined || given.scopeTagValue !== undefined) {
    const key =
      given.scopeTagKey === undefined ? scopeTag.key : asText('scopeTagKey', given.scopeTagKey, problems);
    const value =
      given.scopeTagValue === undefined
        ? scopeTag.value
        : asText('scopeTagValue', given.scopeTagValue, problems);
    if (key !== undefined && value !== undefined) scopeTag = { key, value };
  }
  checkTag(scopeTag, problems);
  const requireCrossRegion =
    given.requireCrossRegion === undefined
      ? DEFAULT_PARAMETERS.requireCrossRegion
      : asBoolean('requireCrossRegion', given.requireCrossRegion, problems);
  const requireRtc =
    given.requireRtc === undefined
      ? DEFAULT_PARAMETERS.requireRtc
      : asBoolean('requireRtc', given.requireRtc, problems);
  let crossAccountRoleName = DEFAULT_PARAMETERS.crossAccountRoleName;
  if (given.crossAccountRoleName !== undefined) {
    const name = asText('crossAccountRoleName', given.crossAccountRoleName, problems);
    if (name !== undefined && !ROLE_NAME.test(name))
      problems.push('crossAccountRoleName must be an IAM role name (1 to 64 of letters, digits and +=,.@_-)');
    else if (name !== undefined) crossAccountRoleName = name;
  }
  let objectSampleSize = DEFAULT_PARAMETERS.objectSampleSize;
  if (given.objectSampleSize !== undefined) {
    const n = Number(given.objectSampleSize);
    if (!Number.isInteger(n) || n < 0 || n > MAX_OBJECT_SAMPLE)
      problems.push(
        `objectSampleSize must be a whole number from 0 to ${MAX_OBJECT_SAMPLE} (0 examines no objects)`,
      );
    else objectSampleSize = n;
  }
  if (problems.length > 0 || requireCrossRegion === undefined || requireRtc === undefined)
    throw new EventError(`Invalid ${source}`, EventErrorCode.InvalidRuleParameters, problems);
  return {
    scopeTag,
    requireCrossRegion,
    requireRtc,
    crossAccountRoleName,
    ...(objectSampleSize !== undefined ? { objectSampleSize } : {}),
  };
};

/** Parses a Config rule's `ruleParameters` (JSON text of an object; absent or empty means the defaults). */
export const parseRuleParameters = (text: string | undefined | null): ScanParameters => {
  if (text === undefined || text === null || text.trim() === '') return DEFAULT_PARAMETERS;
  const parsed = parseJsonText(text, 'ruleParameters', EventErrorCode.InvalidRuleParameters);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new EventError(
      'Invalid ruleParameters: must be a JSON object',
      EventErrorCode.InvalidRuleParameters,
    );
  return validateParameters(parsed as Record<string, unknown>);
};

/** The parameters the stack gives every function through its environment (`REPLGUARD_*`). */
export const parametersFromEnv = (env: NodeJS.ProcessEnv = process.env): ScanParameters =>
  validateParameters(
    Object.fromEntries(Object.entries(PARAMETER_ENV).map(([name, variable]) => [name, env[variable]])),
    'environment (REPLGUARD_* parameters)',
  );
