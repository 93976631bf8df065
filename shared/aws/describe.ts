/**
 * One line for an AWS error that stops a command, for people: which service and operation failed (and where),
 * what the error means, and what to do. Expired or invalid credentials are called that, with the command that
 * refreshes them; a connection that failed names the endpoint; a denied call names the permission it needs.
 */
import { callSiteOf, type CallSite } from './callSite.js';
import {
  awsErrorCode,
  AwsClientError,
  isAccessDenied,
  isConnectionError,
  isCredentialError,
  isThrottling,
} from './errors.js';

/** How ReplGuard's service ids (`ServiceId`) are written for people, and their IAM action prefix. */
const SERVICES: Readonly<Record<string, { readonly name: string; readonly iam: string }>> = {
  S3: { name: 'S3', iam: 's3' },
  S3_CONTROL: { name: 'S3 Control', iam: 's3' },
  IAM: { name: 'IAM', iam: 'iam' },
  KMS: { name: 'KMS', iam: 'kms' },
  STS: { name: 'STS', iam: 'sts' },
  CLOUDWATCH: { name: 'CloudWatch', iam: 'cloudwatch' },
  CLOUDTRAIL: { name: 'CloudTrail', iam: 'cloudtrail' },
  SECURITYHUB: { name: 'Security Hub', iam: 'securityhub' },
  SNS: { name: 'SNS', iam: 'sns' },
  SQS: { name: 'SQS', iam: 'sqs' },
  CONFIG_SERVICE: { name: 'AWS Config', iam: 'config' },
  EVENTBRIDGE: { name: 'EventBridge', iam: 'events' },
  SECRETS_MANAGER: { name: 'Secrets Manager', iam: 'secretsmanager' },
  SSM: { name: 'SSM', iam: 'ssm' },
  ORGANIZATIONS: { name: 'Organizations', iam: 'organizations' },
};

/** S3 operations whose IAM action has another name. */
const S3_ACTIONS: Readonly<Record<string, string>> = {
  ListBuckets: 'ListAllMyBuckets',
  HeadBucket: 'ListBucket',
  ListObjectsV2: 'ListBucket',
  ListObjectVersions: 'ListBucketVersions',
  HeadObject: 'GetObject',
  GetBucketEncryption: 'GetEncryptionConfiguration',
  PutBucketEncryption: 'PutEncryptionConfiguration',
  GetBucketReplication: 'GetReplicationConfiguration',
  PutBucketReplication: 'PutReplicationConfiguration',
  GetBucketNotificationConfiguration: 'GetBucketNotification',
  PutBucketNotificationConfiguration: 'PutBucketNotification',
  GetObjectLockConfiguration: 'GetBucketObjectLockConfiguration',
  GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration',
  GetBucketMetricsConfiguration: 'GetMetricsConfiguration',
  PutBucketMetricsConfiguration: 'PutMetricsConfiguration',
  ListBucketInventoryConfigurations: 'GetInventoryConfiguration',
  GetBucketInventoryConfiguration: 'GetInventoryConfiguration',
};

/** The IAM action an operation needs: `s3:ListAllMyBuckets` for S3 ListBuckets, `kms:GetKeyPolicy`, … */
export const iamActionOf = (site: Pick<CallSite, 'service' | 'operation'>): string => {
  const prefix = SERVICES[site.service]?.iam ?? site.service.toLowerCase();
  const name = prefix === 's3' ? (S3_ACTIONS[site.operation] ?? site.operation) : site.operation;
  return `${prefix}:${name}`;
};

/** "S3 GetBucketVersioning (eu-west-1)". */
export const callSiteText = (site: CallSite): string =>
  `${SERVICES[site.service]?.name ?? site.service} ${site.operation}${site.region ? ` (${site.region})` : ''}`;

export interface ErrorHints {
  /** The profile in use (`--profile`, else `AWS_PROFILE`), named in the fix for credentials. */
  readonly profile?: string;
}

/** What refreshes credentials: SSO login for the profile, or new keys or session token. */
export const credentialFix = (profile?: string): string =>
  profile
    ? `refresh them with \`aws sso login --profile ${profile}\` (an SSO profile), or renew the keys of profile ${profile} (\`aws configure --profile ${profile}\`), then run again`
    : 'refresh them with `aws sso login --profile NAME` and run with --profile NAME (or AWS_PROFILE), or set new AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, then run again';

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? '';

/** The credentials problem in words: missing (no provider found one), a profile without credentials, or expired/invalid. */
const credentialProblem = (error: unknown, code: string, hints: ErrorHints): string => {
  const message = firstLine(error);
  if (/from any providers/i.test(message))
    return `no AWS credentials were found (${message}): configure them with \`aws configure\` or \`aws sso login --profile NAME\` and run with --profile NAME, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  if (/profile/i.test(message) && /could not resolve|not found|does not exist/i.test(message))
    return `profile ${hints.profile ?? ''} has no usable credentials (${message}): check \`aws configure list-profiles\`, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE`;
  return `the AWS credentials are expired or invalid (${code}: ${message}): ${credentialFix(hints.profile)}`;
};

const endpointOf = (error: unknown, site: CallSite | undefined): string | undefined => {
  if (site?.endpoint) return site.endpoint;
  const e = error as { hostname?: unknown; address?: unknown; port?: unknown };
  if (typeof e.hostname === 'string') return e.hostname;
  if (typeof e.address === 'string') return `${e.address}${typeof e.port === 'number' ? `:${e.port}` : ''}`;
  return undefined;
};

const connectionProblem = (error: unknown, site: CallSite | undefined): string => {
  const code = awsErrorCode(error) ?? 'connection error';
  const at = endpointOf(error, site);
  const lead = `could not reach ${site ? (SERVICES[site.service]?.name ?? site.service) : 'AWS'}${at ? ` at ${at}` : ''}`;
  if (code === 'ECONNREFUSED')
    return `${lead} (ECONNREFUSED: nothing accepts connections there): check --endpoint-url and AWS_ENDPOINT_URL*, a proxy (HTTPS_PROXY) or firewall, and that the endpoint is up`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `${lead} (${code}: the host name does not resolve): check the Region${site?.region ? ` (${site.region})` : ''}, --endpoint-url and DNS`;
  return `${lead} (${code}: ${firstLine(error)}): check the network, a proxy (HTTPS_PROXY) or firewall, then run again`;
};

/**
 * One line saying what failed, why and what to do, for an error that stops a command; errors that are not
 * AWS calls keep their own (first) line.
 */
export const describeError = (error: unknown, hints: ErrorHints = {}): string => {
  if (error instanceof AwsClientError && error.code === 'ASSUME_ROLE_FAILED') {
    const inner = error.cause;
    if (isCredentialError(inner))
      return `${error.message}: ${credentialProblem(inner, awsErrorCode(inner) ?? '', hints)}.`;
    const code = awsErrorCode(inner) ?? 'error';
    return `${error.message} (${code}: ${firstLine(inner)}): the role must exist in that account and trust the caller's account, and the caller needs sts:AssumeRole on it.`;
  }
  const site = callSiteOf(error);
  const code = awsErrorCode(error);
  if (!site && !isCredentialError(error) && !isConnectionError(error)) return firstLine(error);
  const where = site ? `${callSiteText(site)}: ` : '';
  if (isCredentialError(error)) return `${where}${credentialProblem(error, code ?? '', hints)}.`;
  if (isConnectionError(error)) return `${where}${connectionProblem(error, site)}.`;
  if (site && isAccessDenied(error))
    return `${where}denied (${code ?? 'AccessDenied'}): the credentials in use need ${iamActionOf(site)}; grant it to them, or run with a profile that has it (--profile NAME).`;
  if (isThrottling(error))
    return `${where}throttled (${code}) after retries: run again later, or scan fewer buckets at a time.`;
  const requestId = (error as { $metadata?: { requestId?: string } }).$metadata?.requestId;
  return `${where}failed: ${code ?? 'error'}: ${firstLine(error)}${requestId ? ` (request id ${requestId})` : ''}. Run again with --debug for details.`;
};
