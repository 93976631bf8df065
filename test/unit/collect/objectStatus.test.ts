import { describe, expect, it } from 'vitest';
import {
  csvFields,
  inventoryRows,
  ObjectCounter,
  parseInventoryManifest,
} from '../../../shared/collect/normalise/objectStatus.js';
import type { ReplicationRule } from '../../../shared/model/snapshot.js';

const rule = (id: string, prefix: string, extra: Partial<ReplicationRule> = {}): ReplicationRule => ({
  id,
  status: 'Enabled',
  filter: { prefix },
  destination: { bucket: 'dr', bucketArn: 'arn:aws:s3:::dr' },
  ...extra,
});

const NOW = Date.parse('2026-12-03T12:00:00Z');

describe('ObjectCounter', () => {
  it('counts each covered version by its replication status, per rule prefix', () => {
    const counter = new ObjectCounter([rule('scans', 'scans/'), rule('all', '')], NOW);
    counter.add({ key: 'scans/a.dcm', status: 'FAILED' });
    counter.add({ key: 'scans/b.dcm', status: undefined });
    counter.add({ key: 'notes/c.txt', status: 'COMPLETED' });
    counter.add({ key: 'notes/d.txt', status: 'PENDING', lastModified: NOW - 2 * 3600_000 });
    counter.add({ key: 'notes/e.txt', status: 'PENDING', lastModified: NOW - 60_000 });
    expect(counter.counts()).toEqual({
      scans: { failed: 1, missing: 1, pending: 0, stalePending: 0, completed: 0 },
      all: { failed: 1, missing: 1, pending: 2, stalePending: 1, completed: 1 },
    });
    expect(counter.examined).toBe(5);
  });

  it('leaves out replicas, delete markers, disabled rules and rules that filter on tags', () => {
    const counter = new ObjectCounter(
      [
        rule('on', ''),
        rule('off', '', { status: 'Disabled' }),
        rule('tagged', '', { filter: { prefix: '', tags: [{ key: 'k', value: 'v' }] } }),
      ],
      NOW,
    );
    counter.add({ key: 'a', status: 'REPLICA' });
    counter.add({ key: 'b', status: undefined, isDeleteMarker: true });
    expect(counter.counts()).toEqual({
      on: { failed: 0, missing: 0, pending: 0, stalePending: 0, completed: 0 },
    });
    expect(counter.examined).toBe(1);
  });
});

describe('S3 Inventory CSV', () => {
  const schema = 'Bucket, Key, VersionId, IsLatest, IsDeleteMarker, LastModifiedDate, ReplicationStatus';

  it('splits RFC 4180 quoted fields', () => {
    expect(csvFields('"a","b,c","d""e",')).toEqual(['a', 'b,c', 'd"e', '']);
  });

  it('reads rows by the manifest schema, URL-decoding keys, an empty status meaning never replicated', () => {
    const text = [
      '"phi","scans/a+b%2Bc.dcm","v1","true","false","2026-12-01T00:00:00.000Z","FAILED"',
      '"phi","scans/old.dcm","v0","true","false","2020-01-01T00:00:00.000Z",""',
      '"phi","scans/gone.dcm","v2","true","true","2026-12-01T00:00:00.000Z",""',
    ].join('\n');
    const rows = [...inventoryRows(text, schema)];
    expect(rows[0]).toEqual({
      key: 'scans/a b+c.dcm',
      status: 'FAILED',
      lastModified: Date.parse('2026-12-01T00:00:00Z'),
    });
    expect(rows[1]?.status).toBeUndefined();
    expect(rows[2]?.isDeleteMarker).toBe(true);
  });

  it('takes a manifest with its schema and files, and refuses anything else', () => {
    const m = parseInventoryManifest(
      JSON.stringify({
        fileFormat: 'CSV',
        fileSchema: schema,
        files: [{ key: 'inv/data/1.csv.gz' }],
        creationTimestamp: '1764547200000',
      }),
    );
    expect(m.files).toHaveLength(1);
    expect(() => parseInventoryManifest('{"hello":1}')).toThrow(/not an S3 Inventory manifest/);
  });
});
