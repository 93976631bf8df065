import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfigRuleEvent } from '../../../shared/events/configRule.js';
import { evaluateBucketHandler } from '../../../shared/handlers/evaluateBucket.js';
import { known } from '../../../shared/model/datum.js';
import { DST_ARN, healthySnapshot, variant } from '../../fixtures/snapshots.js';
import { loadEvent, rewrite } from '../../fixtures/events/index.js';
import { fakeDeps } from './fakes.js';

afterEach(() => vi.restoreAllMocks());

const suspended = variant((s) => {
  const d = s.destinations[DST_ARN];
  if (d) d.versioning = known('Suspended');
});

const withSnapshot = (snapshot = healthySnapshot()) => {
  const fakes = fakeDeps();
  const items: unknown[] = [];
  const deps = {
    ...fakes.deps,
    collectFromConfigItem: async (_s: unknown, item: unknown) => {
      items.push(item);
      return snapshot;
    },
  };
  return { fakes, deps, items };
};

describe('evaluateBucketHandler (configuration changes)', () => {
  it('evaluates the bucket of the configuration item and sends its Config evaluation with the findings', async () => {
    const { fakes, deps, items } = withSnapshot(suspended);
    const outcome = await evaluateBucketHandler(deps)(
      parseConfigRuleEvent(loadEvent('config', 'change-notification')),
    );
    expect(outcome).toMatchObject({ kind: 'change', bucket: 'phi-prod', compliance: 'NON_COMPLIANT' });
    expect(items).toHaveLength(1);
    const [call] = fakes.published;
    expect(
      call?.results.some(
        (r) => r.ruleId === 'versioning_destination_enabled' && r.status === 'NON_COMPLIANT',
      ),
    ).toBe(true);
    expect(call?.options.config).toMatchObject({
      resultToken: 'myResultToken',
      orderingTimestamp: new Date('2025-03-04T10:15:30.123Z'),
      evaluations: [
        expect.objectContaining({
          ComplianceResourceType: 'AWS::S3::Bucket',
          ComplianceResourceId: 'phi-prod',
          ComplianceType: 'NON_COMPLIANT',
        }),
      ],
    });
    expect(call?.options.resolveMissingFor).toMatchObject({ buckets: ['phi-prod'] });
    expect(call?.options.resolveMissingFor?.ruleIds).not.toContain('replication_operations_failing');
  });

  it('is COMPLIANT for the healthy path', async () => {
    const { deps } = withSnapshot();
    expect(
      await evaluateBucketHandler(deps)(parseConfigRuleEvent(loadEvent('config', 'change-notification'))),
    ).toMatchObject({
      compliance: 'COMPLIANT',
    });
  });

  it.each([
    ['a bucket that left the rule scope', 'change-notification-left-scope', /left the rule scope/],
    ['a deleted bucket', 'change-notification-deleted', /ResourceDeleted/],
  ] as const)('reports %s as NOT_APPLICABLE and resolves its findings', async (_what, name, reason) => {
    const { fakes, deps, items } = withSnapshot();
    const outcome = await evaluateBucketHandler(deps)(parseConfigRuleEvent(loadEvent('config', name)));
    expect(outcome).toMatchObject({ compliance: 'NOT_APPLICABLE', reason: expect.stringMatching(reason) });
    expect(items).toHaveLength(0);
    expect(fakes.published[0]).toMatchObject({
      results: [],
      options: { resolveMissingFor: { buckets: ['phi-prod'] } },
    });
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
    const { fakes, deps, items } = withSnapshot();
    const outcome = await evaluateBucketHandler(deps)(
      parseConfigRuleEvent({ ...event, invokingEvent: JSON.stringify(invoking) }),
    );
    expect(outcome).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      reason: 'no replication configuration and no scope tag',
    });
    expect(items).toHaveLength(0);
    expect(fakes.published).toHaveLength(1);
  });

  it('ignores a resource type other than AWS::S3::Bucket', async () => {
    const { fakes, deps } = withSnapshot();
    const event = rewrite(loadEvent('config', 'change-notification'), {
      'AWS::S3::Bucket': 'AWS::EC2::Instance',
    });
    expect(await evaluateBucketHandler(deps)(parseConfigRuleEvent(event))).toMatchObject({ kind: 'ignored' });
    expect(fakes.published).toHaveLength(0);
  });
});
