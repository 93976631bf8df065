import { beforeAll, describe, expect, inject, it } from 'vitest';
import { run } from '../../../shared/cli/main.js';
import { testAccount, withAccount } from '../../emulator/accounts.js';
import { scenario, type ReplicationPath, type Scenario } from '../../scenarios/builder.js';
import { enableSecurityHub, inbox, keepSample, type Inbox } from './inbox.js';

const endpoint = inject('emulatorEndpoint');

describe('replguard scan --publish --topic-arn (against the emulator)', () => {
  let env: Scenario;
  let box: Inbox;
  let path: ReplicationPath;

  /** Runs the command in-process, acting in this file's account; returns exit code, stdout and stderr. */
  const replguard = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await run(
      args,
      { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTty: false },
      {
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        decorate: (client, context) =>
          void (context.accountId === undefined && withAccount(client, env.home)),
      },
    );
    return { code, stdout, stderr };
  };
  const scanAndPublish = () =>
    replguard(
      'scan',
      '--bucket',
      path.source.name,
      '--format',
      'json',
      '--endpoint-url',
      endpoint,
      '--publish',
      '--topic-arn',
      box.topicArn,
    );

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/publish/cli') });
    await enableSecurityHub(env);
    box = await inbox(env, 'cli');
    path = await env.replicatedPair({ name: 'clipub', destinationVersioning: 'Suspended' });
  });

  it('publishes every failing result once and prints the summary to stderr', async () => {
    const { code, stdout, stderr } = await scanAndPublish();
    expect(code).toBe(1);
    const failing = (JSON.parse(stdout) as { results: { status: string; ruleId: string }[] }).results.filter(
      (r) => r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN',
    );
    expect(failing.map((r) => r.ruleId)).toContain('versioning_destination_enabled');
    expect(stderr).toContain(
      `published: findings ${failing.length} new, 0 changed, 0 resolved, 0 unchanged; ${failing.length} messages sent to ${box.topicArn}`,
    );
    keepSample('cli-stderr.txt', stderr);
    const { envelope, raw } = await box.drain();
    expect(envelope).toHaveLength(failing.length);
    expect(raw).toHaveLength(failing.length);
    expect(envelope.map((m) => m.attributes.ruleId).sort()).toEqual(failing.map((r) => r.ruleId).sort());
  });

  it('sends nothing when nothing changed', async () => {
    const { stderr } = await scanAndPublish();
    expect(stderr).toMatch(
      /published: findings 0 new, 0 changed, 0 resolved, \d+ unchanged; 0 messages sent/,
    );
    expect((await box.drain()).envelope).toEqual([]);
  });

  it('resolves the finding once the destination is fixed, with one resolve message', async () => {
    await env.setVersioning(path.destination, 'Enabled');
    const { stderr } = await scanAndPublish();
    keepSample('cli-stderr-resolved.txt', stderr);
    expect(stderr).toMatch(/published: findings 0 new, 0 changed, 1 resolved, \d+ unchanged; 1 message sent/);
    const { envelope } = await box.drain();
    expect(envelope).toHaveLength(1);
    expect(envelope[0]?.attributes).toMatchObject({
      ruleId: 'versioning_destination_enabled',
      transition: 'resolved',
    });
    expect(envelope[0]?.subject).toBe(
      `[RESOLVED] replication of ${path.source.name} to ${path.destination.name}: destination versioning not enabled`,
    );
  });
});
