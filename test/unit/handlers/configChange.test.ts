import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScanSession } from '../../../shared/collect/session.js';
import { parseApiCallEvent } from '../../../shared/events/cloudTrail.js';
import { affectedBy, configChangeHandler } from '../../../shared/handlers/configChange.js';
import { type BucketEntry, ReverseIndex } from '../../../shared/handlers/reverseIndex.js';
import { loadEvent } from '../../fixtures/events/index.js';
import { fakeDeps } from './fakes.js';

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
  { bucket: 'phi-dr', region: 'us-west-2', tagged: true, replication: null },
  { bucket: 'web', region: 'us-east-1', tagged: false, replication: null },
];

const affected = async (
  name: Parameters<typeof loadEvent<'cloudtrail'>>[1],
  event = loadEvent('cloudtrail', name),
) => {
  const { deps } = fakeDeps();
  const session = new ScanSession(deps.factory(), deps.parameters());
  const out = await affectedBy(
    deps,
    session,
    new ReverseIndex(ACCOUNT, entries, 0),
    parseApiCallEvent(event),
  );
  return { evaluate: Object.fromEntries(out.evaluate), resolve: [...out.resolve] };
};

describe('affectedBy', () => {
  it('re-evaluates the sources of a destination whose versioning changed, and the destination itself (replica only)', async () => {
    expect(await affected('s3-put-bucket-versioning')).toEqual({
      evaluate: {
        'phi-dr': { replicaOnly: true },
        'phi-prod': { replicaOnly: false },
        'phi-lab': { replicaOnly: false },
      },
      resolve: [],
    });
  });

  it('resolves a deleted destination and re-evaluates its sources', async () => {
    expect(await affected('s3-delete-bucket')).toEqual({
      evaluate: { 'phi-prod': { replicaOnly: false }, 'phi-lab': { replicaOnly: false } },
      resolve: ['phi-dr'],
    });
  });

  it('evaluates a changed source', async () => {
    expect((await affected('s3-put-bucket-replication')).evaluate).toEqual({
      'phi-prod': { replicaOnly: false },
    });
  });

  it('resolves the findings of a bucket that is out of scope', async () => {
    const event = loadEvent('cloudtrail', 's3-put-bucket-replication') as {
      detail: { requestParameters: Record<string, unknown> };
    };
    event.detail.requestParameters.bucketName = 'web';
    expect(await affected('s3-put-bucket-replication', event as never)).toEqual({
      evaluate: {},
      resolve: ['web'],
    });
  });

  it('finds every bucket using a disabled key', async () => {
    expect(Object.keys((await affected('kms-disable-key')).evaluate)).toEqual(['phi-prod']);
  });

  it('finds the buckets of a role in every Region (IAM events come from us-east-1)', async () => {
    expect(Object.keys((await affected('iam-put-role-policy')).evaluate).sort()).toEqual([
      'phi-lab',
      'phi-prod',
    ]);
  });
});

describe('configChangeHandler', () => {
  it.each([['a call that failed', 's3-put-bucket-policy-denied', /the call failed/]] as const)(
    'ignores %s without reading anything',
    async (_what, name, why) => {
      const fakes = fakeDeps();
      const outcome = await configChangeHandler(fakes.deps)(parseApiCallEvent(loadEvent('cloudtrail', name)));
      expect(outcome).toMatchObject({ ignored: expect.stringMatching(why), evaluated: [] });
      expect(fakes.published).toHaveLength(0);
    },
  );

  it('ignores a call it does not watch', async () => {
    const fakes = fakeDeps();
    const event = loadEvent('cloudtrail', 'kms-disable-key') as { detail: Record<string, unknown> };
    event.detail.eventName = 'Encrypt';
    const outcome = await configChangeHandler(fakes.deps)(parseApiCallEvent(event));
    expect(outcome.ignored).toMatch(/not a call ReplGuard watches/);
  });
});
