/**
 * Patches `cors` and `speed-requests`. AWS answers without CORS headers unless a bucket has a CORS configuration;
 * moto added `Access-Control-Allow-Origin: *` to every response. And the emulator no longer logs every request on
 * stderr (the harness had to read and discard a line per call, on the CPU the benchmarks measure), while a failing
 * request's traceback still reaches it; `REPLGUARD_MOTO_REQUEST_LOG=1` brings the request log back. Patch
 * `speed-list-versions` lists shallow views of the stored versions instead of deep copies: the versions keep their
 * content and IsLatest stays right.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { emulatorClientConfig, testAccount, withAccount } from '../../emulator/accounts.js';
import { venvPython } from '../../emulator/install.js';
import { LAUNCHER } from '../../emulator/server.js';

const endpoint = inject('emulatorEndpoint');
const s3 = withAccount(
  new S3Client(emulatorClientConfig(endpoint)),
  testAccount('integration/emulator/speed-requests'),
);

/** Starts a launcher of its own, makes `requests` calls to it, and returns what it wrote on stderr. */
const stderrOf = async (env: NodeJS.ProcessEnv, requests: number): Promise<string> => {
  const child = spawn(venvPython(), [LAUNCHER, '0', '--exit-with-stdin'], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => void (stderr += t));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`launcher exited (${code}): ${stderr}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const ready = /^MOTO_READY (\S+)/.exec(line);
        if (ready?.[1]) resolve(ready[1]);
      });
    });
    for (let i = 0; i < requests; i++)
      await fetch(`${url}/replguard/config-evaluations`).then((r) => r.text());
    // a request the emulator cannot serve: its traceback is an error, logged whatever the request log
    await fetch(`${url}/replguard/replication/drain?timeoutMs=not-a-number`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 200));
    return stderr;
  } finally {
    child.kill('SIGKILL');
  }
};

describe('the emulator answers like AWS, without a development server’s extras', () => {
  it('sends no CORS headers on S3 responses', async () => {
    let headers: Record<string, string> = {};
    s3.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        headers = (out.response as { headers: Record<string, string> }).headers;
        return out;
      },
      { step: 'deserialize', name: 'captureHeaders' },
    );
    await s3.send(new ListBucketsCommand({}));
    expect(Object.keys(headers).length).toBeGreaterThan(0);
    expect(Object.keys(headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('logs failing requests but not every request, unless asked to', async () => {
    const [quiet, logged] = await Promise.all([
      stderrOf({ REPLGUARD_MOTO_REQUEST_LOG: '' }, 3),
      stderrOf({ REPLGUARD_MOTO_REQUEST_LOG: '1' }, 3),
    ]);
    expect(logged.match(/"GET \/replguard\/config-evaluations HTTP\/1\.1" 200/g)).toHaveLength(3);
    expect(quiet).not.toContain('/replguard/config-evaluations');
    expect(quiet).toContain('Traceback');
    expect(quiet).toContain('not-a-number');
  }, 60_000);

  it('lists versions without touching them: each keeps its content, only the newest is latest', async () => {
    const Bucket = `listed-versions-${Date.now()}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const bodies = ['first', 'second', 'third'];
    const ids: string[] = [];
    for (const Body of bodies)
      ids.push((await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body }))).VersionId ?? '');
    for (let i = 0; i < 5; i++) {
      const listed = (await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions ?? [];
      expect(listed.map((v) => [v.VersionId, v.IsLatest])).toEqual([
        [ids[2], true],
        [ids[1], false],
        [ids[0], false],
      ]);
    }
    const read = await Promise.all(
      ids.map(async (VersionId) =>
        (await s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId }))).Body?.transformToString(),
      ),
    );
    expect(read).toEqual(bodies);
  });
});
