import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfigRuleEvent } from '../../../shared/events/configRule.js';
import { evaluateBucketHandler } from '../../../shared/handlers/evaluateBucket.js';
import { known } from '../../../shared/model/datum.js';
import { DST_ARN, healthySnapshot, variant } from '../../fixtures/snapshots.js';
import { loadEvent, rewrite } from '../../fixtures/events/index.js';
import { fakeRuntime } from './fakes.js';

afterEach(() => vi.restoreAllMocks());

const suspended = variant((s) => {
  const d = s.destinations[DST_ARN];
  if (d) d.versioning = known('Suspended');
});

const change = (event = loadEvent('config', 'change-notification')) => parseConfigRuleEvent(event);

describe('evaluateBucketHandler (configuration changes)', () => {
  it('evaluates the bucket of the configuration item and sends its Config evaluation with the findings', async () => {
    const fakes = fakeRuntime({ snapshots: { 'phi-prod': suspended } });
    const outcome = await evaluateBucketHandler(fakes.rt)(change());
    expect(outcome).toMatchObject({ kind: 'change', bucket: 'phi-prod', compliance: 'NON_COMPLIANT' });
    expect(fakes.collected).toEqual(['phi-prod']);
    expect(
      fakes
        .results()
        .some((r) => r.ruleId === 'versioning_destination_enabled' && r.status === 'NON_COMPLIANT'),
    ).toBe(true);
    expect(fakes.recorded.evaluations).toEqual([
      {
        resultToken: 'myResultToken',
        evaluations: [
          expect.objectContaining({
            ComplianceResourceType: 'AWS::S3::Bucket',
            ComplianceResourceId: 'phi-prod',
            ComplianceType: 'NON_COMPLIANT',
            OrderingTimestamp: new Date('2025-03-04T10:15:30.123Z'),
          }),
        ],
      },
    ]);
    // One read of the previous state, scoped to the bucket and the catalog's rules (runtime findings are not resolved by it).
    expect(fakes.recorded.reads).toHaveLength(1);
    expect(fakes.recorded.reads[0]?.scope).toMatchObject({ buckets: ['phi-prod'] });
    expect(fakes.recorded.reads[0]?.scope?.ruleIds).not.toContain('replication_operations_failing');
  });

  it('is COMPLIANT for the healthy path', async () => {
    const fakes = fakeRuntime({ snapshots: { 'phi-prod': healthySnapshot() } });
    expect(await evaluateBucketHandler(fakes.rt)(change())).toMatchObject({ compliance: 'COMPLIANT' });
  });

  it.each([
    ['a bucket that left the rule scope', 'change-notification-left-scope', /left the rule scope/],
    ['a deleted bucket', 'change-notification-deleted', /ResourceDeleted/],
  ] as const)('reports %s as NOT_APPLICABLE and resolves its findings', async (_what, name, reason) => {
    const fakes = fakeRuntime({ snapshots: { 'phi-prod': suspended } });
    await evaluateBucketHandler(fakes.rt)(change());
    expect(fakes.store.size).toBeGreaterThan(0);
    const outcome = await evaluateBucketHandler(fakes.rt)(change(loadEvent('config', name)));
    expect(outcome).toMatchObject({ compliance: 'NOT_APPLICABLE', reason: expect.stringMatching(reason) });
    expect(fakes.collected).toEqual(['phi-prod']);
    const resolved = fakes.recorded.alerts.at(-1) ?? [];
    expect(resolved.length).toBeGreaterThan(0);
    expect(resolved.every((i) => i.transition === 'resolved')).toBe(true);
    expect(fakes.recorded.evaluations.at(-1)?.evaluations[0]?.ComplianceType).toBe('NOT_APPLICABLE');
  });

  it('reports a bucket with no replication and no scope tag as NOT_APPLICABLE without reading anything', async () => {
    const event = loadEvent('config', 'change-notification');
    const invoking = JSON.parse(event.invokingEvent as string) as {
      configurationItem: Record<string, Record<string, unknown>>;
    };
    invoking.configurationItem.supplementaryConfiguration = {
      ...invoking.configurationItem.supplementaryConfiguration,
      BucketReplicationConfiguration: { roleARN: null, rules: {} },
      BucketTaggingConfiguration: { tagSets: [{ tags: { Team: 'web' } }] },
    };
    invoking.configurationItem.tags = { Team: 'web' };
    const fakes = fakeRuntime({ snapshots: { 'phi-prod': healthySnapshot() } });
    const outcome = await evaluateBucketHandler(fakes.rt)(
      change({ ...event, invokingEvent: JSON.stringify(invoking) }),
    );
    expect(outcome).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      reason: 'no replication configuration and no DataClassification=PHI tag',
    });
    expect(fakes.collected).toHaveLength(0);
    expect(fakes.recorded.evaluations).toHaveLength(1);
  });

  it('ignores a resource type other than AWS::S3::Bucket', async () => {
    const fakes = fakeRuntime();
    const event = rewrite(loadEvent('config', 'change-notification'), {
      'AWS::S3::Bucket': 'AWS::EC2::Instance',
    });
    expect(await evaluateBucketHandler(fakes.rt)(change(event))).toMatchObject({ kind: 'ignored' });
    expect(fakes.recorded.reads).toHaveLength(0);
    expect(fakes.recorded.evaluations).toHaveLength(0);
  });
});
