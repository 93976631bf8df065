import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/replguard.js', import.meta.url));
const endpoint = inject('emulatorEndpoint');
const account = testAccount('integration/cli/scan');

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
  ],
});

/** Runs the real `replguard` binary as a separate process, with credentials that act in this file's account. */
const replguard = async (args: string[], env: Record<string, string>) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('replguard scan (the command, against the emulator)', () => {
  let env: Record<string, string>;

  beforeAll(async () => {
    const s3 = withAccount(new S3Client(emulatorClientConfig(endpoint)), account);
    const iam = withAccount(new IAMClient(emulatorClientConfig(endpoint)), account);
    for (const bucket of ['cli-src', 'cli-dst', 'cli-src-bad', 'cli-dst-suspended']) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
    }
    const role = `arn:aws:iam::${account}:role/cli-replication`;
    for (const [src, dst] of [
      ['cli-src', 'cli-dst'],
      ['cli-src-bad', 'cli-dst-suspended'],
    ] as const) {
      await s3.send(
        new PutBucketReplicationCommand({
          Bucket: src,
          ReplicationConfiguration: {
            Role: role,
            Rules: [
              {
                ID: `${src}-rule`,
                Priority: 1,
                Status: 'Enabled',
                Filter: { Prefix: '' },
                DeleteMarkerReplication: { Status: 'Enabled' },
                Destination: { Bucket: `arn:aws:s3:::${dst}` },
              },
            ],
          },
        }),
      );
    }
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'cli-dst-suspended',
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );
    // A separate process cannot carry the emulator's account header: assume a role in this file's account,
    // and the emulator attributes every call made with those credentials to that account (as AWS does).
    await iam.send(new CreateRoleCommand({ RoleName: 'cli-operator', AssumeRolePolicyDocument: trust }));
    const sts = withAccount(new STSClient(emulatorClientConfig(endpoint)), account);
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/cli-operator`,
        RoleSessionName: 'cli-test',
      }),
    );
    env = {
      AWS_ACCESS_KEY_ID: c?.AccessKeyId ?? '',
      AWS_SECRET_ACCESS_KEY: c?.SecretAccessKey ?? '',
      AWS_SESSION_TOKEN: c?.SessionToken ?? '',
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: '',
    };
  });

  it('prints the JSON contract and exits 1 when a destination has versioning Suspended', async () => {
    const { code, stdout } = await replguard(
      [
        'scan',
        '--bucket',
        'cli-src',
        '--bucket',
        'cli-src-bad',
        '--format',
        'json',
        '--endpoint-url',
        endpoint,
      ],
      env,
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { version: number; results: Record<string, unknown>[] };
    expect(report.version).toBe(1);
    const pick = (ruleId: string, bucket: string) =>
      report.results.find((r) => r.ruleId === ruleId && r.bucket === bucket);
    expect(pick('versioning_source_enabled', 'cli-src')).toMatchObject({
      status: 'COMPLIANT',
      severity: 'CRITICAL',
    });
    expect(pick('versioning_destination_enabled', 'cli-src')).toMatchObject({
      status: 'COMPLIANT',
      destinationBucket: 'cli-dst',
      replicationRuleId: 'cli-src-rule',
    });
    const bad = pick('versioning_destination_enabled', 'cli-src-bad');
    expect(bad).toMatchObject({
      status: 'NON_COMPLIANT',
      severity: 'CRITICAL',
      bucket: 'cli-src-bad',
      destinationBucket: 'cli-dst-suspended',
      replicationRuleId: 'cli-src-bad-rule',
      hipaa: expect.arrayContaining(['164.308(a)(7)(ii)(A)']),
    });
    expect(bad?.message).toContain('Suspended');
    expect(bad?.remediation).toMatch(
      /Fix \(step \d+ of the plan, proven by re-evaluation\): `aws s3api put-bucket-versioning --region us-east-1 --bucket cli-dst-suspended /,
    );
    for (const r of report.results) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining([
          'ruleId',
          'status',
          'severity',
          'bucket',
          'destinationBucket',
          'replicationRuleId',
          'message',
          'remediation',
          'hipaa',
        ]),
      );
    }
  });

  it('exits 2 with a one-line reason and no stack trace for a bucket that does not exist', async () => {
    const { code, stderr } = await replguard(
      ['scan', '--bucket', 'no-such-bucket', '--endpoint-url', endpoint],
      env,
    );
    expect(code).toBe(2);
    expect(stderr).toContain('no-such-bucket');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a usage error', async () => {
    const { code, stderr } = await replguard(['scan', '--format', 'xml', '--bucket', 'x'], env);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('answers --help on every command', async () => {
    expect((await replguard(['--help'], env)).stdout).toContain('replguard <command>');
    expect((await replguard(['scan', '--help'], env)).stdout).toContain('--endpoint-url');
  });
});
