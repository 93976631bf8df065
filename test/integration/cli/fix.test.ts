/**
 * `replguard fix` as people run it: the plan as text, JSON or a script (which really runs), nothing to fix on
 * a healthy path, unreadable data named (exit 2), and --apply refusing what it must refuse without changing
 * anything.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { run } from '../../../shared/cli/main.js';
import { testAccount } from '../../emulator/accounts.js';
import { HEALTHY } from '../../scenarios/catalog/types.js';
import { emulatorFactoryOptions } from '../../scenarios/builder/clients.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { awsCli } from '../../scenarios/fixes/awsCli.js';

const endpoint = inject('emulatorEndpoint');

describe('replguard fix', () => {
  let env: Scenario;
  let healthy: ReplicationPath;
  let local: ReplicationPath;
  let remote: ReplicationPath;

  const replguard = async (argv: string[], options: { deny?: string[]; ask?: string } = {}) => {
    let stdout = '';
    let stderr = '';
    const asked: string[] = [];
    const code = await run(
      argv,
      {
        stdout: (t) => void (stdout += t),
        stderr: (t) => void (stderr += t),
        stderrIsTty: false,
        ...(options.ask !== undefined
          ? { ask: async (q: string) => (asked.push(q), options.ask ?? '') }
          : {}),
      },
      emulatorFactoryOptions(endpoint, env.home, { deny: options.deny ?? [] }),
    );
    return { code, stdout, stderr, asked };
  };

  const failingRules = async (bucket: string) => {
    const { stdout } = await replguard(['scan', '--bucket', bucket, '--format', 'json']);
    return (JSON.parse(stdout) as { results: { ruleId: string; status: string }[] }).results
      .filter((r) => r.status === 'NON_COMPLIANT')
      .map((r) => r.ruleId)
      .sort();
  };

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/cli/fix') });
    [healthy, local, remote] = await Promise.all([
      env.replicatedPair({ name: 'fix-ok', ...HEALTHY }),
      // Everything in one account, so a script runs with one set of credentials.
      env.replicatedPair({
        name: 'fix-local',
        ...HEALTHY,
        crossAccount: false,
        sourceVersioning: 'Suspended',
        metrics: false,
        destinationPolicy: () => null,
      }),
      env.replicatedPair({ name: 'fix-remote', ...HEALTHY, destinationVersioning: 'Suspended' }),
    ]);
  });

  it('says there is nothing to fix on a healthy path, and exits 0', async () => {
    const { code, stdout } = await replguard(['fix', '--bucket', healthy.source.name]);
    expect(code).toBe(0);
    expect(stdout).toBe(`Nothing to fix: every rule passes for ${healthy.source.name}.\n`);
  });

  it('prints the plan as text: one step per resource, its account, what it fixes and its command', async () => {
    const { code, stdout } = await replguard(['fix', '--bucket', local.source.name]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^Fix plan: \d+ steps?, one per resource, proven by re-evaluating/);
    expect(stdout).toContain(`Enable versioning on ${local.source.name}.`);
    expect(stdout).toMatch(/fixes: .*versioning_source_enabled/);
    expect(stdout).toContain(
      `aws s3api put-bucket-versioning --region us-east-1 --bucket ${local.source.name}`,
    );
    // Two rules change the replication configuration (metrics): one step, not two.
    expect(stdout.match(/aws s3api put-bucket-replication/g)).toHaveLength(1);
  });

  it('gives each JSON result its fix: the steps with the resource each changes', async () => {
    const { stdout } = await replguard(['fix', '--bucket', local.source.name, '--format', 'json']);
    const out = JSON.parse(stdout) as {
      version: number;
      plan: { steps: { step: number; resource: string; command: string }[] };
      results: {
        ruleId: string;
        fix?: { proven: boolean; steps: { step: number; resource: string; resourceArn: string }[] };
      }[];
    };
    expect(out.version).toBe(1);
    const metrics = out.results.find((r) => r.ruleId === 'replication_metrics_enabled');
    // Its own step (the replication configuration), after the one it depends on (source versioning).
    expect(metrics?.fix?.proven).toBe(true);
    expect(metrics?.fix?.steps.map((s) => [s.resource, s.resourceArn])).toEqual([
      [`the versioning of ${local.source.name}`, `arn:aws:s3:::${local.source.name}`],
      [`the replication configuration of ${local.source.name}`, `arn:aws:s3:::${local.source.name}`],
    ]);
    expect(out.plan.steps.map((s) => s.step)).toEqual(out.plan.steps.map((_, i) => i + 1));
  });

  it('prints a bash script (set -euo pipefail, a comment per step) that fixes the path when run', async () => {
    const { stdout } = await replguard(['fix', '--bucket', local.source.name, '--format', 'sh']);
    expect(stdout.split('\n').slice(0, 5)).toContain('set -euo pipefail');
    expect(stdout.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(stdout).toMatch(/# Step 1\/\d+: /);
    const script = join(tmpdir(), `replguard-fix-${process.pid}.sh`);
    writeFileSync(script, stdout);
    const ran = await awsCli(endpoint, env.home, `bash ${script}`);
    expect(ran, ran.stderr).toMatchObject({ code: 0 });
    expect(await failingRules(local.source.name)).toEqual([]);
  });

  it('names what it could not read and exits 2 (a plan may be incomplete without it)', async () => {
    const { code, stderr } = await replguard(['fix', '--bucket', remote.source.name], {
      deny: ['S3:GetBucketPolicy'],
    });
    expect(code).toBe(2);
    expect(stderr).toContain('could not read everything the plan depends on');
    expect(stderr).toContain('s3:GetBucketPolicy');
  });

  it('refuses to apply steps in another account without credentials for it, and changes nothing', async () => {
    const before = await failingRules(remote.source.name);
    const { code, stderr } = await replguard(['fix', '--bucket', remote.source.name, '--apply', '--yes']);
    expect(code).toBe(2);
    expect(stderr).toContain(`act in account ${remote.destination.account}`);
    expect(stderr).toContain('--admin-role-name');
    expect(stderr).toContain('Nothing was changed.');
    expect(await failingRules(remote.source.name)).toEqual(before);
    expect(before).toEqual(['versioning_destination_enabled']);
  });

  it('asks before applying, and applies nothing when the answer is no', async () => {
    const before = await failingRules(remote.source.name);
    const { code, asked } = await replguard(
      ['fix', '--bucket', remote.source.name, '--apply', '--admin-role-name', 'x'],
      {
        ask: 'n',
      },
    );
    expect(asked).toEqual([expect.stringMatching(/^Apply these 1 steps\? \[y\/N\] $/)]);
    expect(code).toBe(1);
    expect(await failingRules(remote.source.name)).toEqual(before);
  });

  it('needs a terminal or --yes to apply', async () => {
    const { code, stderr } = await replguard([
      'fix',
      '--bucket',
      remote.source.name,
      '--apply',
      '--admin-role-name',
      'x',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('--apply needs a terminal to confirm, or --yes');
  });

  it.each([
    [['fix'], 'fix needs --bucket NAME or --all'],
    [['fix', '--all', '--format', 'yaml'], '--format must be one of text, json, sh'],
    [['fix', '--all', '--yes'], '--yes only goes with --apply'],
  ])('rejects %j with a clear message (exit 2)', async (argv, message) => {
    const { code, stderr } = await replguard(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
