/**
 * Runs the real functions (functions/*.ts: middy, validation, environment wiring) against the emulator.
 * The process gets credentials of a role in the test file's account (the emulator attributes every call
 * made with them to that account, as AWS does), `AWS_ENDPOINT_URL` pointing at the emulator and the
 * findings topic, exactly what `osls invoke local` gives a function. Each test file runs in its own worker,
 * so the environment stays per file.
 */
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { emulatorClientConfig, withAccount } from '../../emulator/accounts.js';
import type { Scenario } from '../../scenarios/builder.js';
import { FIXTURE_ACCOUNT, lambdaContext, loadEvent, rewrite } from '../../fixtures/events/index.js';

export type FunctionName =
  'evaluateBucket' | 'onConfigChange' | 'onReplicationFailure' | 'onReplicationAlarm' | 'replicationCanary';

/** Sets the process environment of a deployed function acting in the scenario's account. */
export const functionEnvironment = async (
  env: Scenario,
  topicArn: string,
  extra: Record<string, string> = {},
): Promise<void> => {
  const config = emulatorClientConfig(env.endpoint, env.region);
  const iam = withAccount(new IAMClient(config), env.home);
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'replguard-function',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  const sts = withAccount(new STSClient(config), env.home);
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${env.home}:role/replguard-function`,
      RoleSessionName: 'function',
      DurationSeconds: 3600,
    }),
  );
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: c?.AccessKeyId ?? '',
    AWS_SECRET_ACCESS_KEY: c?.SecretAccessKey ?? '',
    AWS_SESSION_TOKEN: c?.SessionToken ?? '',
    AWS_REGION: env.region,
    AWS_ENDPOINT_URL: env.endpoint,
    REPLGUARD_FINDINGS_TOPIC_ARN: topicArn,
    POWERTOOLS_LOG_LEVEL: 'WARN',
    ...extra,
  });
};

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const modules: Record<FunctionName, () => Promise<unknown>> = {
  evaluateBucket: () => import('../../../functions/evaluateBucket.js'),
  onConfigChange: () => import('../../../functions/onConfigChange.js'),
  onReplicationFailure: () => import('../../../functions/onReplicationFailure.js'),
  onReplicationAlarm: () => import('../../../functions/onReplicationAlarm.js'),
  replicationCanary: () => import('../../../functions/replicationCanary.js'),
};

/** The deployed handler of a function (import after {@link functionEnvironment}). */
export const loadFunction = async (name: FunctionName): Promise<Handler> =>
  ((await modules[name]()) as { handler: Handler }).handler;

/**
 * The periodic Config rule run of the scenario's account (every bucket, scope tag DataClassification=PHI) through
 * evaluateBucket; `ruleParameters` overrides the fixture's (a same-Region pair wants requireCrossRegion false).
 */
export const periodicRun = async (
  evaluate: Handler,
  env: Scenario,
  token: string,
  ruleParameters: Record<string, string> = { requireCrossRegion: 'false' },
): Promise<unknown> => {
  const event = rewrite(loadEvent('config', 'scheduled-notification'), {
    myResultToken: token,
    [FIXTURE_ACCOUNT]: env.home,
  }) as { ruleParameters: string };
  const parameters = { ...JSON.parse(event.ruleParameters), ...ruleParameters };
  return evaluate(
    { ...event, ruleParameters: JSON.stringify(parameters) },
    lambdaContext('evaluateBucket', 900_000),
  );
};
