/**
 * What every command shares, as the AWS CLI has it: `--profile`, `--region`, `--endpoint-url`, `-o/--output-file`,
 * `--no-color`, `--debug`, `-h/--help`; the parsing of argv into one-line usage errors; and the checks that
 * refuse an obviously bad value (an empty bucket name, a topic ARN that is not one) before any AWS call.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SEVERITY_ORDER } from '../model/result.js';
import { UsageError } from './errors.js';

/** The options every command takes (node:util parseArgs form). */
export const COMMON_OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  'output-file': { type: 'string', short: 'o' },
  'no-color': { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The help lines of COMMON_OPTIONS, aligned with the commands' own (24 columns). */
export const COMMON_HELP = `  --profile NAME           use this named profile (~/.aws/config, ~/.aws/credentials): its credentials and
                           Region, as aws --profile does
  --region REGION          Region for API calls (else AWS_REGION, the profile's region, AWS_DEFAULT_REGION,
                           us-east-1)
  --endpoint-url URL       send every AWS call to this endpoint (e.g. an emulator)
  -o, --output-file PATH   write the output to PATH instead of stdout
  --no-color               no colour (colour is used only on a terminal, and never when NO_COLOR is set)
  --debug                  print stack traces on errors, and the AWS API calls made (stderr)
  -h, --help               show this help`;

export interface CommonArgs {
  readonly profile?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly outputFile?: string;
  /** False with `--no-color`; colour also needs a terminal and no NO_COLOR (`useColor`). */
  readonly color: boolean;
  readonly debug: boolean;
}

/** node's parseArgs error codes, turned into short sentences. */
const parseProblem = (error: Error & { code?: string }, command: string): string => {
  const hint = ` (replguard ${command} --help)`;
  const option = /'(-{1,2}[\w-]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return `unknown option ${option ?? error.message}${hint}`;
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /argument '([^']*)'/.exec(error.message)?.[1];
    return `unexpected argument "${arg ?? error.message}": every value follows its option${hint}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return /ambiguous/.test(error.message)
      ? `${option ?? 'an option'} needs a value, and got another option instead${hint}`
      : `${option ?? 'an option'} ${/argument missing/.test(error.message) ? 'needs a value' : 'takes no value'}${hint}`;
  return error.message;
};

/** parseArgs in strict mode; its errors become UsageErrors naming the option and the command's help. */
export const parseOptions = <O extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: O,
  command: string,
) => {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError(parseProblem(error as Error & { code?: string }, command));
  }
};

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Bucket names created in us-east-1 before March 2018 could have capitals and underscores, up to 255 characters. */
const LEGACY_BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;
const BUCKET_RULE =
  'an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)';

/** Refuses what cannot be a bucket name, naming the rule (an ARN or s3:// URL: says which name to give). */
export const checkBucketName = (flag: string, name: string): string => {
  const given = /^(?:s3:\/\/|arn:aws[a-z-]*:s3:::)([^/]+)/.exec(name)?.[1];
  if (given) throw new UsageError(`${flag} takes a bucket name, not a URL or ARN: give ${flag} ${given}`);
  if (name.trim() === '') throw new UsageError(`${flag} must be ${BUCKET_RULE}, got an empty name`);
  const modern = BUCKET.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
  if (!modern && !LEGACY_BUCKET.test(name))
    throw new UsageError(`${flag} must be ${BUCKET_RULE}, got "${name}"`);
  return name;
};

const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

export const checkRegion = (flag: string, region: string): string => {
  if (!REGION.test(region)) {
    const az = /^([a-z]{2,4}(?:-[a-z]+)+-\d{1,2})[a-z]$/.exec(region)?.[1];
    throw new UsageError(
      `${flag} must be a Region code such as us-east-1 or eu-west-1, got "${region}"${az ? ` (an Availability Zone: give ${az})` : ''}`,
    );
  }
  return region;
};

export const checkEndpointUrl = (flag: string, url: string): string => {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    throw new UsageError(`${flag} must be an http:// or https:// URL, got "${url}"`);
  return url;
};

/** IAM role names: 1 to 64 letters, digits and +=,.@_- (no path, no ARN). */
export const checkRoleName = (flag: string, name: string): string => {
  if (!/^[\w+=,.@-]{1,64}$/.test(name))
    throw new UsageError(
      `${flag} must be an IAM role name (1 to 64 letters, digits and +=,.@_-; not an ARN), got "${name}"`,
    );
  return name;
};

/** The ARN shapes ReplGuard's flags take. */
const ARNS = {
  snsTopic: {
    what: 'an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)',
    pattern: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
  },
  secret: {
    what: 'a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)',
    pattern: /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/,
  },
  iamRole: {
    what: 'an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)',
    pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
  },
  any: {
    what: 'an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)',
    pattern: /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:\S+$/,
  },
} as const;
export type ArnKind = keyof typeof ARNS;

/** The kind of ARN a flag takes, by its name: every `*-arn` flag is checked, the known ones by shape. */
export const arnKindOf = (flag: string): ArnKind | undefined => {
  if (/(^|-)topic-arn$/.test(flag)) return 'snsTopic';
  if (/secret-arn$/.test(flag)) return 'secret';
  if (/role-arn$/.test(flag)) return 'iamRole';
  return flag.endsWith('-arn') ? 'any' : undefined;
};

export const checkArn = (flag: string, value: string, kind: ArnKind): string => {
  const shape = ARNS[kind];
  if (!shape.pattern.test(value)) throw new UsageError(`${flag} must be ${shape.what}, got "${value}"`);
  return value;
};

/** A comma-separated list of severities (`--pagerduty-severities CRITICAL,HIGH`), upper-cased. */
export const checkSeverities = (flag: string, values: readonly string[]): string[] => {
  const upper = values.map((v) => v.toUpperCase());
  const bad = upper.filter((v) => !(SEVERITY_ORDER as readonly string[]).includes(v));
  if (upper.length === 0 || bad.length > 0)
    throw new UsageError(
      `${flag} must list severities among ${SEVERITY_ORDER.join(', ')}, got "${values.join(',')}"`,
    );
  return upper;
};

/** COMMON_OPTIONS' values, checked. */
export const commonArgsOf = (v: {
  readonly profile?: string | undefined;
  readonly region?: string | undefined;
  readonly 'endpoint-url'?: string | undefined;
  readonly 'output-file'?: string | undefined;
  readonly 'no-color'?: boolean | undefined;
  readonly debug?: boolean | undefined;
}): CommonArgs => {
  if (v.profile !== undefined && v.profile.trim() === '')
    throw new UsageError('--profile needs a profile name (aws configure list-profiles lists them)');
  if (v['output-file'] !== undefined && v['output-file'].trim() === '')
    throw new UsageError('--output-file needs a path');
  return {
    ...(v.profile ? { profile: v.profile.trim() } : {}),
    ...(v.region !== undefined ? { region: checkRegion('--region', v.region) } : {}),
    ...(v['endpoint-url'] !== undefined
      ? { endpointUrl: checkEndpointUrl('--endpoint-url', v['endpoint-url']) }
      : {}),
    ...(v['output-file'] ? { outputFile: v['output-file'] } : {}),
    color: v['no-color'] !== true,
    debug: v.debug === true,
  };
};

/**
 * Colour on a terminal only: not with `--no-color`, not when NO_COLOR is set to anything but the empty string
 * (no-color.org), not for TERM=dumb, never into a file.
 */
export const useColor = (
  args: Pick<CommonArgs, 'color' | 'outputFile'>,
  stdoutIsTty: boolean,
  env: NodeJS.ProcessEnv = process.env,
): boolean => args.color && !args.outputFile && stdoutIsTty && !env.NO_COLOR && env.TERM !== 'dumb';

/** Refuses an output file whose directory does not exist (before a long scan, not after it). */
export const checkOutputFile = async (path: string): Promise<void> => {
  const where = resolve(path);
  const into = await stat(dirname(where)).catch(() => undefined);
  if (!into?.isDirectory())
    throw new UsageError(`--output-file ${path}: directory ${dirname(where)} does not exist`);
  const existing = await stat(where).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`--output-file ${path} is a directory: give a file path`);
};
