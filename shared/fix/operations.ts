/**
 * One AWS API call of a fix step, and the AWS CLI command that makes it. The same `Operation` is rendered
 * for people (`aws <service> <operation> --param value`, verbatim-runnable in any POSIX shell) and performed
 * through the SDK by `replguard fix --apply`, so what is printed is what is applied.
 */
import { shJson, shq } from '../support/shell.js';

/** AWS CLI service names of the calls fixes make. */
export type CliService = 's3api' | 'iam' | 'kms' | 'cloudtrail' | 'cloudwatch' | 'sns';

export interface Operation {
  readonly service: CliService;
  /** The API operation, as the SDK names its command without `Command` (`PutBucketPolicy`). */
  readonly name: string;
  /** Region of the call (none for IAM). */
  readonly region?: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** `PutBucketVersioning` → `put-bucket-versioning`, `KMSMasterKeyID` → `kms-master-key-id`. */
export const kebab = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();

const argument = (name: string, value: unknown): string => {
  const flag = `--${kebab(name)}`;
  if (value === true) return flag;
  if (value === false) return `--no-${kebab(name)}`;
  if (typeof value === 'number') return `${flag} ${value}`;
  if (typeof value === 'string') return `${flag} ${shq(value)}`;
  return `${flag} ${shJson(value)}`;
};

/** The AWS CLI command of one operation: `aws kms enable-key --region us-west-2 --key-id 1234…`. */
export const cliCommand = (op: Operation, extra: readonly string[] = []): string =>
  [
    'aws',
    op.service,
    kebab(op.name),
    ...(op.region ? [`--region ${shq(op.region)}`] : []),
    ...Object.entries(op.input)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => argument(k, v)),
    ...extra,
  ].join(' ');

/** Several operations run one after the other, stopping at the first failure. */
export const cliSequence = (ops: readonly Operation[]): string =>
  ops.map((op) => cliCommand(op)).join(' && ');
