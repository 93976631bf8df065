import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readTrails } from '../../../../shared/collect/readers/cloudtrail.js';
import type { TrailInfo } from '../../../../shared/model/snapshot.js';
import { selectorCoversBucket } from '../../../../shared/rules/lib/trails.js';
import { testAccount } from '../../../emulator/accounts.js';
import { type Scenario, scenario } from '../../../scenarios/builder.js';

const endpoint = inject('emulatorEndpoint');

describe('readTrails', () => {
  let env: Scenario;
  const byName = (trails: readonly TrailInfo[], name: string) => trails.find((t) => t.name === name);

  beforeAll(async () => {
    env = await scenario(endpoint, { account: testAccount('integration/collect/readers/cloudtrail') });
    await Promise.all([
      env.trail({
        name: 'everything',
        multiRegion: true,
        basic: [{ readWrite: 'All', values: ['arn:aws:s3'] }],
      }),
      env.trail({
        name: 'phi-writes',
        advanced: [
          {
            Name: 'PHI object writes',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
              { Field: 'readOnly', Equals: ['false'] },
              {
                Field: 'resources.ARN',
                StartsWith: ['arn:aws:s3:::phi-'],
                NotStartsWith: ['arn:aws:s3:::phi-scratch/'],
              },
            ],
          },
        ],
      }),
      env.trail({ name: 'stopped', logging: false }),
    ]);
  });

  it('normalises basic and advanced selectors and reads each trail status', async () => {
    const datum = await readTrails(env.session(), env.home, 'us-east-1');
    const trails = datum.known ? datum.value : [];
    expect(byName(trails, 'everything')).toMatchObject({
      isMultiRegion: true,
      homeRegion: 'us-east-1',
      isLogging: { known: true, value: true },
      s3DataEvents: {
        known: true,
        value: [{ readWrite: 'All', resourcePrefixes: ['arn:aws:s3'], excludedPrefixes: [] }],
      },
    });
    expect(byName(trails, 'phi-writes')?.s3DataEvents).toEqual({
      known: true,
      value: [
        {
          readWrite: 'WriteOnly',
          resourcePrefixes: ['arn:aws:s3:::phi-'],
          excludedPrefixes: ['arn:aws:s3:::phi-scratch/'],
        },
      ],
      source: 'api',
    });
    expect(byName(trails, 'stopped')).toMatchObject({
      isLogging: { known: true, value: false },
      s3DataEvents: { known: true, value: [] },
    });
    const phi = byName(trails, 'phi-writes')?.s3DataEvents;
    const [selector] = phi?.known ? phi.value : [];
    expect(selector && selectorCoversBucket(selector, 'phi-prod')).toBe(true);
    expect(selector && selectorCoversBucket(selector, 'phi-scratch')).toBe(false);
  });

  it('sees the multi-Region trail from another Region and reads its details once', async () => {
    const session = env.session();
    const [east, west] = await Promise.all([
      readTrails(session, env.home, 'us-east-1'),
      readTrails(session, env.home, 'us-west-2'),
    ]);
    expect(west.known && west.value.map((t) => t.name)).toEqual(['everything']);
    expect(east.known && east.value).toHaveLength(3);
    const calls = session.factory.counter.snapshot();
    expect(calls['CLOUDTRAIL:DescribeTrails']).toBe(2);
    expect(calls['CLOUDTRAIL:GetTrailStatus']).toBe(3);
    expect(calls['CLOUDTRAIL:GetEventSelectors']).toBe(3);
  });

  it.each([
    ['CLOUDTRAIL:GetEventSelectors', 'cloudtrail:GetEventSelectors', 's3DataEvents'],
    ['CLOUDTRAIL:GetTrailStatus', 'cloudtrail:GetTrailStatus', 'isLogging'],
  ] as const)('marks only the part unknown when %s is denied', async (call, permission, part) => {
    const datum = await readTrails(env.session({ deny: [call] }), env.home, 'us-east-1');
    const trail = datum.known ? byName(datum.value, 'everything') : undefined;
    expect(trail?.[part]).toEqual({
      known: false,
      reason: `AccessDenied on ${permission}`,
      permission,
      source: 'api',
    });
  });

  it('is unknown naming cloudtrail:DescribeTrails when the listing is denied', async () => {
    const datum = await readTrails(
      env.session({ deny: ['CLOUDTRAIL:DescribeTrails'] }),
      env.home,
      'us-east-1',
    );
    expect(datum).toMatchObject({ known: false, permission: 'cloudtrail:DescribeTrails' });
  });
});
