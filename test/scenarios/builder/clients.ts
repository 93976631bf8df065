/**
 * Clients for the emulator acting in a chosen account (moto's `x-moto-account-id` header), and a ClientFactory
 * that acts as the home account and reaches other accounts through STS AssumeRole like production does.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { MiddlewareStack } from '@smithy/types';
import type { CallCounter } from '../../../shared/aws/callCounter.js';
import { ClientFactory, type ClientFactoryOptions } from '../../../shared/aws/clientFactory.js';
import type { ServiceId } from '../../../shared/aws/endpoint.js';
import { parsePolicy } from '../../../shared/collect/normalise/s3Api.js';

export const EMULATOR_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;
export const ACCOUNT_HEADER = 'x-moto-account-id';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any client's stack
type AnyStack = MiddlewareStack<any, any>;
type WithStack = { middlewareStack: AnyStack };

/** Adds the emulator's account header to every request of `client`. */
export const actAs = <C extends WithStack>(client: C, account: string): C => {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[ACCOUNT_HEADER] = account;
      return next(args);
    },
    { step: 'build', name: 'replguardEmulatorAccount', override: true },
  );
  return client;
};

/** The clients a scenario uses to build resources in one account and Region. */
export interface AccountClients {
  readonly s3: S3Client;
  readonly iam: IAMClient;
  readonly kms: KMSClient;
  readonly cloudwatch: CloudWatchClient;
  readonly cloudtrail: CloudTrailClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly sts: STSClient;
}

/** Builds (uncounted) clients acting in `account`/`region` against the emulator. */
export const accountClients = (endpoint: string, account: string, region: string): AccountClients => {
  const base = { endpoint, region, credentials: EMULATOR_CREDENTIALS, maxAttempts: 8 };
  return {
    s3: actAs(new S3Client({ ...base, forcePathStyle: true }), account),
    iam: actAs(new IAMClient(base), account),
    kms: actAs(new KMSClient(base), account),
    cloudwatch: actAs(new CloudWatchClient(base), account),
    cloudtrail: actAs(new CloudTrailClient(base), account),
    sqs: actAs(new SQSClient(base), account),
    sns: actAs(new SNSClient(base), account),
    sts: actAs(new STSClient(base), account),
  };
};

/** One call to refuse, as `SERVICE:Operation` (the call counter's keys), optionally only in one account. */
export interface DeniedCall {
  readonly call: string;
  readonly account?: string;
}

export interface FactoryOptions {
  /** The account ReplGuard acts as (default: the scenario's home account), e.g. a DR account scanning itself. */
  readonly account?: string;
  readonly region?: string;
  readonly counter?: CallCounter;
  readonly crossAccountRoleName?: string;
  /**
   * Calls answered with AccessDenied before they reach the emulator (moto does not enforce IAM, so this is
   * the one way to see ReplGuard's reaction to a missing permission). Each refused call still counts.
   */
  readonly deny?: readonly (string | DeniedCall)[];
}

const accessDenied = (service: ServiceId, operation: string, account: string): Error => {
  const error = new Error(`User is not authorized to perform ${service}:${operation} in account ${account}`);
  return Object.assign(error, {
    name: service === 'S3' ? 'AccessDenied' : 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
  });
};

/** True when a trust policy lets `account` (its root or any principal in it) assume the role. */
const trusts = (trustText: string | undefined, account: string): boolean => {
  const doc = parsePolicy(trustText);
  const statements = doc ? (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) : [];
  return statements.some((s) => {
    const actions = ([] as unknown[]).concat(s.Action);
    const principals = ([] as unknown[]).concat((s.Principal as { AWS?: unknown } | undefined)?.AWS ?? []);
    return (
      s.Effect === 'Allow' &&
      actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*') &&
      principals.some((p) => p === '*' || p === account || String(p).startsWith(`arn:aws:iam::${account}:`))
    );
  });
};

/**
 * A ClientFactory acting as `homeAccount` against the emulator. Other accounts are reached only through
 * STS AssumeRole of the cross-account role (moto's assumed credentials act in the role's account). moto's
 * AssumeRole succeeds even for a role that does not exist; here it is refused like AWS does when the role is
 * missing or does not trust the home account (checked with GetRole in the target account, not counted).
 */
export const emulatorFactory = (
  endpoint: string,
  homeAccount: string,
  options: FactoryOptions = {},
): ClientFactory => new ClientFactory(emulatorFactoryOptions(endpoint, homeAccount, options));

/** The options of {@link emulatorFactory} (for code that builds its own factory, like the CLI's `run`). */
export const emulatorFactoryOptions = (
  endpoint: string,
  homeAccount: string,
  options: FactoryOptions = {},
): ClientFactoryOptions => {
  const denied = (options.deny ?? []).map((d) => (typeof d === 'string' ? { call: d } : d));
  const checkers = new Map<string, IAMClient>();
  const checkAssume = async (roleArn: string): Promise<void> => {
    const account = roleArn.split(':')[4] ?? '';
    const iam =
      checkers.get(account) ??
      actAs(new IAMClient({ endpoint, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS }), account);
    checkers.set(account, iam);
    const name = roleArn.split('/').pop() ?? '';
    let trust: string | undefined;
    try {
      trust = (await iam.send(new GetRoleCommand({ RoleName: name }))).Role?.AssumeRolePolicyDocument;
    } catch {
      trust = undefined;
    }
    if (!trusts(trust, homeAccount)) throw accessDenied('STS' as ServiceId, 'AssumeRole', homeAccount);
  };
  return {
    region: options.region ?? 'us-east-1',
    endpointUrl: endpoint,
    credentials: EMULATOR_CREDENTIALS,
    ...(options.counter ? { counter: options.counter } : {}),
    ...(options.crossAccountRoleName ? { crossAccountRoleName: options.crossAccountRoleName } : {}),
    maxAttempts: 8,
    decorate: (client, context) => {
      const account = context.accountId ?? homeAccount;
      // assumed credentials select the account; the header would override them
      if (context.accountId === undefined) actAs(client, homeAccount);
      client.middlewareStack.add(
        (next, ctx) => async (args) => {
          const operation = String((ctx as { commandName?: string }).commandName ?? '').replace(
            /Command$/,
            '',
          );
          const key = `${context.service}:${operation}`;
          if (denied.some((d) => d.call === key && (d.account === undefined || d.account === account)))
            throw accessDenied(context.service, operation, account);
          if (key === 'STS:AssumeRole')
            await checkAssume(String((args.input as { RoleArn?: string }).RoleArn));
          return next(args);
        },
        { step: 'initialize', name: 'replguardEmulatorFidelity', priority: 'low' },
      );
    },
  };
};
