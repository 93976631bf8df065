/**
 * Runs the real functions (functions/*.ts: middy, validation, environment wiring) against the emulator.
 * The process gets credentials of a role in the test file's account (the emulator attributes every call
 * made with them to that account, as AWS does), `AWS_ENDPOINT_URL` pointing at the emulator and the
 * findings topic, exactly what `osls invoke local` gives a function. Each test file runs in its own worker,
 * so the environment stays per file.
 */
import { Readable } from 'node:stream';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { emulatorClientConfig, withAccount } from '../../emulator/accounts.js';
import type { Scenario } from '../../scenarios/builder.js';

export type FunctionName =
  'evaluateBucket' | 'onConfigChange' | 'onReplicationFailure' | 'onReplicationAlarm';

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any client's stack
type AnyClient = { middlewareStack: { add: (m: any, o: any) => void } };

/**
 * Emulator fidelity shim for ONE call: moto's GetResourceConfigHistory returns `configurationItemCaptureTime`
 * and `resourceCreationTime` as Python datetime text ("2025-03-04 10:15:30.123456+00:00"); AWS's JSON protocol
 * sends epoch seconds, and the SDK refuses the text. This rewrites those two fields in that response only.
 * (Reported for the emulator launcher; remove once it converts them.)
 */
export const configHistoryTimestampShim = (client: AnyClient): void => {
  client.middlewareStack.add(
    (next: (a: unknown) => Promise<{ response: { body: unknown } }>, context: { commandName?: string }) =>
      async (args: unknown) => {
        const out = await next(args);
        if (context.commandName !== 'GetResourceConfigHistoryCommand') return out;
        const chunks: Buffer[] = [];
        for await (const chunk of out.response.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
        const text = Buffer.concat(chunks)
          .toString('utf8')
          .replace(
            /"(configurationItemCaptureTime|resourceCreationTime)": ?"([^"]+)"/g,
            (_m, field: string, when: string) => `"${field}": ${Date.parse(when.replace(' ', 'T')) / 1000}`,
          );
        out.response.body = Readable.from([Buffer.from(text)]);
        return out;
      },
    { step: 'deserialize', priority: 'low', name: 'replguardConfigHistoryShim' },
  );
};

const modules: Record<FunctionName, () => Promise<unknown>> = {
  evaluateBucket: () => import('../../../functions/evaluateBucket.js'),
  onConfigChange: () => import('../../../functions/onConfigChange.js'),
  onReplicationFailure: () => import('../../../functions/onReplicationFailure.js'),
  onReplicationAlarm: () => import('../../../functions/onReplicationAlarm.js'),
};

/** The deployed handler of a function (import after {@link functionEnvironment}). */
export const loadFunction = async (name: FunctionName): Promise<Handler> =>
  ((await modules[name]()) as { handler: Handler }).handler;
