/**
 * The AWS CLI (v1, installed into the emulator's virtualenv from test/emulator/requirements.txt), run the way
 * an on-call engineer runs a printed command: `bash -c '<command>'`, with credentials of the account the
 * step names (STS AssumeRole: the emulator acts in the role's account) and the endpoint in AWS_ENDPOINT_URL.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ROOT } from '../../emulator/venv.mjs';
import { emulatorClientConfig } from '../../emulator/accounts.js';

const run = promisify(execFile);
const BIN = join(ROOT, '.venv', 'bin');

export interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const credentials = new Map<string, Promise<Record<string, string>>>();

/** Credentials acting in `account` (an assumed role there, as a person with access to it would have). */
const credentialsFor = (endpoint: string, account: string): Promise<Record<string, string>> => {
  const key = `${endpoint}|${account}`;
  let found = credentials.get(key);
  if (!found) {
    found = new STSClient(emulatorClientConfig(endpoint))
      .send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${account}:role/oncall-admin`,
          RoleSessionName: 'oncall',
        }),
      )
      .then(({ Credentials: c }) => ({
        AWS_ACCESS_KEY_ID: c?.AccessKeyId ?? '',
        AWS_SECRET_ACCESS_KEY: c?.SecretAccessKey ?? '',
        AWS_SESSION_TOKEN: c?.SessionToken ?? '',
      }));
    credentials.set(key, found);
  }
  return found;
};

/** Runs one printed command verbatim in bash with credentials of `account`. */
export const awsCli = async (endpoint: string, account: string, command: string): Promise<CliOutcome> => {
  const env = {
    PATH: `${BIN}:${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? '/tmp',
    AWS_ENDPOINT_URL: endpoint,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
    ...(await credentialsFor(endpoint, account)),
  };
  try {
    const { stdout, stderr } = await run('bash', ['-c', command], { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
};
