/**
 * HeadObject for a sample of versions without the SDK's middleware on every call (shared/collect/readers/versionHeads.ts):
 * the same answers as the SDK's HeadObject for keys of any shape, the SDK's request replayed after the first call,
 * every call counted, and the SDK's own error when S3 does not answer 200.
 */
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { s3In } from '../../../../shared/collect/liveSnapshot.js';
import { versionHeads } from '../../../../shared/collect/readers/versionHeads.js';
import type { ScanSession } from '../../../../shared/collect/session.js';
import { testAccount } from '../../../emulator/accounts.js';
import { drainReplication } from '../../../emulator/server.js';
import { HEALTHY } from '../../../scenarios/catalog/types.js';
import { type ReplicationPath, type Scenario, scenario } from '../../../scenarios/builder.js';

const endpoint = inject('emulatorEndpoint');

/** Keys whose path encoding differs from the plain name in every way S3 keys can. */
const KEYS = [
  'plain.txt',
  'a b/c+d%e.txt',
  'ünïcødé/ファイル.dcm',
  "quote'(paren)!*.txt",
  'a//double/slash',
  '/leading-slash',
  'trailing/',
  '~tilde-_.txt',
  'q?x=y&z#frag',
  'patients/2026/mrn=12345;name=x.json',
];

describe('HeadObject of sampled versions, replayed after the SDK’s first call', () => {
  let env: Scenario;
  let pair: ReplicationPath;
  let session: ScanSession;
  let s3: S3Client;
  let versions: { key: string; versionId: string }[];
  let sdkSends = 0;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/readers/versionHeads') });
    pair = await env.replicatedPair({ name: 'version-heads', ...HEALTHY });
    const writer = env.clients(pair.source.account).s3;
    versions = [];
    for (const key of KEYS) {
      const out = await writer.send(new PutObjectCommand({ Bucket: pair.source.name, Key: key, Body: 'x' }));
      versions.push({ key, versionId: out.VersionId ?? '' });
    }
    await drainReplication(endpoint, 60_000);
    session = env.session();
    s3 = await s3In(session, pair.source.account, pair.source.region);
    s3.middlewareStack.add(
      (next) => async (args) => {
        sdkSends++;
        return next(args);
      },
      { step: 'initialize', name: 'testSdkSends' },
    );
  });

  it('answers as the SDK’s HeadObject does, for keys of any shape', async () => {
    const expected = await Promise.all(
      versions.map(
        async (v) =>
          (
            await s3.send(
              new HeadObjectCommand({ Bucket: pair.source.name, Key: v.key, VersionId: v.versionId }),
            )
          ).ReplicationStatus,
      ),
    );
    expect(expected).toEqual(KEYS.map(() => 'COMPLETED'));
    const head = versionHeads(s3, pair.source.name);
    const first = versions[0] as { key: string; versionId: string };
    await head(first.key, first.versionId);
    const answers = await Promise.all(versions.map((v) => head(v.key, v.versionId)));
    expect(answers).toEqual(expected);
  });

  it('sends through the SDK once per bucket, and counts every call', async () => {
    const head = versionHeads(s3, pair.source.name);
    sdkSends = 0;
    session.factory.counter.reset();
    for (let round = 0; round < 3; round++) for (const v of versions) await head(v.key, v.versionId);
    expect(sdkSends).toBe(1);
    expect(session.factory.counter.snapshot()).toEqual({ 'S3:HeadObject': 3 * versions.length });
  });

  it('leaves an answer other than 200 to the SDK: its retries, its error', async () => {
    const head = versionHeads(s3, pair.source.name);
    const [kept, gone] = versions as [{ key: string; versionId: string }, { key: string; versionId: string }];
    await head(kept.key, kept.versionId);
    const writer = env.clients(pair.source.account).s3;
    await writer.send(
      new DeleteObjectCommand({ Bucket: pair.source.name, Key: gone.key, VersionId: gone.versionId }),
    );
    const sdkError = await s3
      .send(new HeadObjectCommand({ Bucket: pair.source.name, Key: gone.key, VersionId: gone.versionId }))
      .catch((e: unknown) => e as Error);
    expect(sdkError).toBeInstanceOf(Error);
    sdkSends = 0;
    session.factory.counter.reset();
    const error = await head(gone.key, gone.versionId).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe((sdkError as Error).name);
    expect(sdkSends).toBe(1);
    // the replayed request and the SDK's: two calls, both counted
    expect(session.factory.counter.snapshot()).toEqual({ 'S3:HeadObject': 2 });
  });
});
