/**
 * The replication status of a source's objects, read from the emulator as from S3: the latest S3 Inventory
 * report when one carries ReplicationStatus (listing it needs patch `s3-inventory`), otherwise a bounded sample
 * (ListObjectVersions + HeadObject);
 * counts labelled exact or not, and UNKNOWN naming the permission when a call is refused.
 */
import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { PutBucketInventoryConfigurationCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { collectSnapshot } from '../../../../shared/collect/liveSnapshot.js';
import { testAccount } from '../../../emulator/accounts.js';
import { drainReplication } from '../../../emulator/server.js';
import { HEALTHY } from '../../../scenarios/catalog/types.js';
import {
  scenario,
  type BucketHandle,
  type ReplicationPath,
  type Scenario,
} from '../../../scenarios/builder.js';
import { DEFAULT_PARAMETERS } from '../../../../shared/model/snapshot.js';

const endpoint = inject('emulatorEndpoint');
const SCHEMA = 'Bucket, Key, VersionId, IsLatest, IsDeleteMarker, LastModifiedDate, ReplicationStatus';

describe('reading object replication statuses', () => {
  let env: Scenario;
  let sampled: ReplicationPath;
  let inventoried: ReplicationPath;
  let reports: BucketHandle;
  let s3: S3Client;

  const objectsOf = async (bucket: string, options: Parameters<Scenario['session']>[0] = {}, sample = 1000) =>
    (await collectSnapshot(env.session(options, { ...DEFAULT_PARAMETERS, objectSampleSize: sample }), bucket))
      .objects;

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/readers/objects') });
    [sampled, inventoried, reports] = await Promise.all([
      env.replicatedPair({ name: 'objects-sample', ...HEALTHY, destinationVersioning: 'Suspended' }),
      env.replicatedPair({ name: 'objects-inventory', ...HEALTHY }),
      env.bucket({ name: env.uniqueName('inventory-reports') }),
    ]);
    s3 = env.clients(env.home).s3;
    for (let i = 0; i < 5; i++)
      await s3.send(new PutObjectCommand({ Bucket: sampled.source.name, Key: `scan-${i}.dcm`, Body: 'x' }));
    await drainReplication(endpoint);
    // An inventory report as S3 delivers it: <prefix>/<source>/<id>/<date>/manifest.json and gzip CSV files.
    await s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: inventoried.source.name,
        Id: 'daily',
        InventoryConfiguration: {
          Id: 'daily',
          IsEnabled: true,
          IncludedObjectVersions: 'All',
          Schedule: { Frequency: 'Daily' },
          OptionalFields: ['LastModifiedDate', 'ReplicationStatus'],
          Destination: { S3BucketDestination: { Bucket: reports.arn, Format: 'CSV', Prefix: 'inv' } },
        },
      }),
    );
    const base = `inv/${inventoried.source.name}/daily`;
    const rows = [
      ...Array.from(
        { length: 7 },
        (_, i) =>
          `"${inventoried.source.name}","old/${i}.pdf","v${i}","true","false","2020-01-01T00:00:00.000Z",""`,
      ),
      `"${inventoried.source.name}","new/a.pdf","va","true","false","2026-12-01T00:00:00.000Z","FAILED"`,
      `"${inventoried.source.name}","new/b.pdf","vb","true","false","2026-12-01T00:00:00.000Z","COMPLETED"`,
    ];
    const put = (key: string, body: string | Buffer) =>
      s3.send(new PutObjectCommand({ Bucket: reports.name, Key: key, Body: body }));
    await put(
      `${base}/2026-11-30T01-00Z/manifest.json`,
      JSON.stringify({ fileFormat: 'CSV', fileSchema: SCHEMA, files: [] }),
    );
    await put(`${base}/data/1.csv.gz`, gzipSync(rows.join('\n')));
    await put(
      `${base}/2026-12-01T01-00Z/manifest.json`,
      JSON.stringify({
        sourceBucket: inventoried.source.name,
        fileFormat: 'CSV',
        fileSchema: SCHEMA,
        files: [{ key: `${base}/data/1.csv.gz`, size: 1, MD5checksum: '' }],
        creationTimestamp: String(Date.parse('2026-12-01T01:00:00Z')),
      }),
    );
  });

  it('samples versions when no inventory reports statuses: every version examined, so exact', async () => {
    const objects = await objectsOf(sampled.source.name);
    expect(objects).toMatchObject({
      known: true,
      value: {
        method: 'sample',
        exact: true,
        examined: 5,
        byRule: { [sampled.ruleId]: { failed: 5, missing: 0 } },
        inventoryNote: expect.stringContaining('no enabled CSV inventory'),
      },
    });
  });

  it('labels a sample smaller than the bucket as not exact', async () => {
    const objects = await objectsOf(sampled.source.name, {}, 3);
    expect(objects).toMatchObject({ known: true, value: { exact: false, examined: 3 } });
  });

  it('counts the latest inventory report, never-replicated versions as missing', async () => {
    const objects = await objectsOf(inventoried.source.name);
    expect(objects).toMatchObject({
      known: true,
      value: {
        method: 'inventory',
        exact: true,
        examined: 9,
        asOf: '2026-12-01T01:00:00.000Z',
        byRule: { [inventoried.ruleId]: { failed: 1, missing: 7, completed: 1 } },
      },
    });
  });

  it('is unknown, naming the permission, when HeadObject is refused', async () => {
    const objects = await objectsOf(sampled.source.name, { deny: ['S3:HeadObject'] });
    expect(objects).toMatchObject({ known: false, permission: 's3:GetObjectVersion' });
  });

  it('examines nothing when the sample size is 0', async () => {
    expect(await objectsOf(sampled.source.name, {}, 0)).toMatchObject({ known: true, value: null });
  });
});
