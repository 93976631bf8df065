import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScanSession } from '../../../shared/collect/session.js';
import { parseApiCallEvent } from '../../../shared/events/cloudTrail.js';
import { configChangeHandler } from '../../../shared/handlers/configChange.js';
import { known } from '../../../shared/model/datum.js';
import { type BucketEntry, ReplicationIndex } from '../../../shared/scope/replicationIndex.js';
import { affectedBuckets } from '../../../shared/triggers/cloudTrail.js';
import { healthySnapshot, variant } from '../../fixtures/snapshots.js';
import { loadEvent } from '../../fixtures/events/index.js';
import { fakeFactory, fakeRuntime } from './fakes.js';

afterEach(() => vi.restoreAllMocks());

const ACCOUNT = '111111111111';
const KEY_ID = '1111aaaa-0000-4000-8000-000000000001';
const rule = (bucket: string) => ({
  id: 'r',
  status: 'Enabled' as const,
  filter: {},
  destination: { bucketArn: `arn:aws:s3:::${bucket}`, bucket },
});
const entries: BucketEntry[] = [
  {
    bucket: 'phi-prod',
    region: 'us-east-1',
    tagged: true,
    replication: { role: `arn:aws:iam::${ACCOUNT}:role/phi-replication`, rules: [rule('phi-dr')] },
    defaultKey: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`,
  },
  {
    bucket: 'phi-lab',
    region: 'eu-west-1',
    tagged: false,
    replication: { role: `arn:aws:iam::${ACCOUNT}:role/phi-replication`, rules: [rule('phi-dr')] },
  },
  {
    bucket: 'phi-dr',
    region: 'us-west-2',
    tagged: true,
    replication: null,
    facts: { replication: known(null), tags: known({ DataClassification: 'PHI' }) },
  },
  {
    bucket: 'web',
    region: 'us-east-1',
    tagged: false,
    replication: null,
    facts: { replication: known(null), tags: known({}) },
  },
];

const affected = async (
  name: Parameters<typeof loadEvent<'cloudtrail'>>[1],
  event = loadEvent('cloudtrail', name),
) => {
  const session = new ScanSession(fakeFactory());
  const out = await affectedBuckets(
    session,
    new ReplicationIndex(ACCOUNT, entries, 0),
    parseApiCallEvent(event),
  );
  return { evaluate: [...out.evaluate].sort(), gone: [...out.gone] };
};

describe('affectedBuckets', () => {
  it('re-evaluates the sources of a destination whose versioning changed, and the destination itself', async () => {
    expect(await affected('s3-put-bucket-versioning')).toEqual({
      evaluate: ['phi-dr', 'phi-lab', 'phi-prod'],
      gone: [],
    });
  });

  it('resolves a deleted destination and re-evaluates its sources', async () => {
    expect(await affected('s3-delete-bucket')).toEqual({
      evaluate: ['phi-lab', 'phi-prod'],
      gone: ['phi-dr'],
    });
  });

  it('evaluates a changed source', async () => {
    expect((await affected('s3-put-bucket-replication')).evaluate).toEqual(['phi-prod']);
  });

  it('finds every bucket using a disabled key', async () => {
    expect((await affected('kms-disable-key')).evaluate).toEqual(['phi-prod']);
  });

  it('finds the buckets of a role in every Region (IAM events come from us-east-1)', async () => {
    expect((await affected('iam-put-role-policy')).evaluate).toEqual(['phi-lab', 'phi-prod']);
  });
});

describe('configChangeHandler', () => {
  const snapshots = {
    'phi-prod': healthySnapshot(),
    'phi-lab': variant((s) => void (s.source.name = 'phi-lab')),
    'phi-dr': variant((s) => {
      s.source.name = 'phi-dr';
      s.source.replication = known(null);
      s.source.tags = known({ DataClassification: 'PHI' });
    }),
  };

  it('judges a replica-only destination by the same evidence as every caller: not failed for lacking replication', async () => {
    const fakes = fakeRuntime({ snapshots, entries });
    const outcome = await configChangeHandler(fakes.rt)(
      parseApiCallEvent(loadEvent('cloudtrail', 's3-put-bucket-versioning')),
    );
    expect(outcome).toMatchObject({ evaluated: ['phi-dr', 'phi-lab', 'phi-prod'], resolved: [] });
    expect(fakes.collected).toContain('phi-dr');
    const dr = fakes.results().filter((r) => r.bucket === 'phi-dr' && r.ruleId === 'replication_configured');
    expect(dr.map((r) => r.status)).not.toContain('NON_COMPLIANT');
    // the same bucket judged as a source would fail: the evidence is what made the difference
    const asSource = fakeRuntime({
      snapshots,
      entries: entries.filter((e) => e.bucket !== 'phi-prod' && e.bucket !== 'phi-lab'),
    });
    await configChangeHandler(asSource.rt)(
      parseApiCallEvent(loadEvent('cloudtrail', 's3-put-bucket-versioning')),
    );
    expect(
      asSource
        .results()
        .filter((r) => r.bucket === 'phi-dr' && r.ruleId === 'replication_configured')
        .map((r) => r.status),
    ).toEqual(['NON_COMPLIANT']);
  });

  it('resolves the findings of a bucket that is out of scope, without collecting it', async () => {
    const fakes = fakeRuntime({ snapshots, entries });
    const event = loadEvent('cloudtrail', 's3-put-bucket-replication') as {
      detail: { requestParameters: Record<string, unknown> };
    };
    event.detail.requestParameters.bucketName = 'web';
    const outcome = await configChangeHandler(fakes.rt)(parseApiCallEvent(event as never));
    expect(outcome).toMatchObject({ evaluated: [], resolved: ['web'] });
    expect(fakes.collected).toEqual([]);
    expect(fakes.recorded.reads[0]?.scope?.buckets).toEqual(['web']);
  });

  it.each([['a call that failed', 's3-put-bucket-policy-denied', /the call failed/]] as const)(
    'ignores %s without reading anything',
    async (_what, name, why) => {
      const fakes = fakeRuntime();
      const outcome = await configChangeHandler(fakes.rt)(parseApiCallEvent(loadEvent('cloudtrail', name)));
      expect(outcome).toMatchObject({ ignored: expect.stringMatching(why), evaluated: [] });
      expect(fakes.recorded.reads).toHaveLength(0);
    },
  );

  it('ignores a call it does not watch', async () => {
    const fakes = fakeRuntime();
    const event = loadEvent('cloudtrail', 'kms-disable-key') as { detail: Record<string, unknown> };
    event.detail.eventName = 'Encrypt';
    const outcome = await configChangeHandler(fakes.rt)(parseApiCallEvent(event));
    expect(outcome.ignored).toMatch(/not a call ReplGuard watches/);
  });
});
