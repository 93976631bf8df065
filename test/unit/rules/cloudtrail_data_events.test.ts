import { describe, expect, it } from 'vitest';
import { known } from '../../../shared/model/datum.js';
import type { DataEventSelector, TrailInfo } from '../../../shared/model/snapshot.js';
import { cloudtrailDataEvents } from '../../../shared/rules/cloudtrail_data_events.js';
import {
  denied,
  DST_ACCOUNT,
  DST_ARN,
  DST_BUCKET,
  DST_REGION,
  type MutableSnapshot,
  SRC_ACCOUNT,
  SRC_REGION,
  variant,
} from '../../fixtures/snapshots.js';
import {
  addSecondDestination,
  ARCHIVE_BUCKET,
  type Case,
  mutable,
  outcomes,
  resultFor,
} from './secondDestination.js';

const SRC_SCOPE = `${SRC_ACCOUNT}:${SRC_REGION}`;
const DST_SCOPE = `${DST_ACCOUNT}:${DST_REGION}`;

const trail = (account: string, region: string, change: Partial<TrailInfo> = {}): TrailInfo => ({
  name: 'phi-trail',
  arn: `arn:aws:cloudtrail:${region}:${account}:trail/phi-trail`,
  homeRegion: region,
  isMultiRegion: false,
  isOrganizationTrail: false,
  isLogging: known(true),
  s3DataEvents: known([{ readWrite: 'All', resourcePrefixes: ['arn:aws:s3'], excludedPrefixes: [] }]),
  ...change,
});
const selectors = (...list: DataEventSelector[]) => ({ s3DataEvents: known(list) });
const sourceTrails =
  (...list: TrailInfo[]) =>
  (s: MutableSnapshot) =>
    void (s.trails[SRC_SCOPE] = known(mutable(list)));
const sel = (
  readWrite: DataEventSelector['readWrite'],
  resourcePrefixes: string[],
  excludedPrefixes: string[] = [],
) => ({
  readWrite,
  resourcePrefixes,
  excludedPrefixes,
});

describe('cloudtrail_data_events', () => {
  it('checks the source and each destination in its own account and Region', () => {
    expect(outcomes(cloudtrailDataEvents.evaluate(variant(() => {})))).toEqual([
      [null, null, 'COMPLIANT'],
      [DST_BUCKET, null, 'COMPLIANT'],
    ]);
  });

  it.each<Case>([
    ['a single-Region trail logging all S3', sourceTrails(trail(SRC_ACCOUNT, SRC_REGION)), 'COMPLIANT'],
    [
      'WriteOnly events of the bucket',
      sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, selectors(sel('WriteOnly', ['arn:aws:s3:::phi-prod/'])))),
      'COMPLIANT',
    ],
    [
      'an advanced selector on a bucket-name prefix',
      sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, selectors(sel('All', ['arn:aws:s3:::phi-'])))),
      'COMPLIANT',
    ],
    [
      'the console form arn:aws:s3:::',
      sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, selectors(sel('All', ['arn:aws:s3:::'])))),
      'COMPLIANT',
    ],
    [
      'an exclusion of another bucket only',
      sourceTrails(
        trail(SRC_ACCOUNT, SRC_REGION, selectors(sel('All', ['arn:aws:s3'], ['arn:aws:s3:::phi-dev/']))),
      ),
      'COMPLIANT',
    ],
    [
      'a multi-Region trail homed in another Region of the account',
      (s) => {
        s.trails[SRC_SCOPE] = known([]);
        s.trails[`${SRC_ACCOUNT}:eu-west-1`] = known(
          mutable([trail(SRC_ACCOUNT, 'eu-west-1', { isMultiRegion: true })]),
        );
      },
      'COMPLIANT',
    ],
    ['no trail', sourceTrails(), 'NON_COMPLIANT', /there is no trail/],
    [
      'a trail that is not logging',
      sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, { isLogging: known(false) })),
      'NON_COMPLIANT',
      /not logging/,
    ],
    [
      'read-only data events',
      sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, selectors(sel('ReadOnly', ['arn:aws:s3'])))),
      'NON_COMPLIANT',
      /only read data events/,
    ],
    [
      'no data events',
      sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, selectors())),
      'NON_COMPLIANT',
      /no S3 data events/,
    ],
    [
      'other buckets only',
      sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, selectors(sel('All', ['arn:aws:s3:::phi-dev/'])))),
      'NON_COMPLIANT',
      /other buckets only/,
    ],
    [
      'a prefix inside the bucket only',
      sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, selectors(sel('All', ['arn:aws:s3:::phi-prod/scans/'])))),
      'NON_COMPLIANT',
    ],
    [
      'all buckets except this one',
      sourceTrails(
        trail(SRC_ACCOUNT, SRC_REGION, selectors(sel('All', ['arn:aws:s3'], ['arn:aws:s3:::phi-prod']))),
      ),
      'NON_COMPLIANT',
    ],
    [
      'a single-Region trail in another Region',
      (s) => {
        s.trails[SRC_SCOPE] = known([]);
        s.trails[`${SRC_ACCOUNT}:eu-west-1`] = known(mutable([trail(SRC_ACCOUNT, 'eu-west-1')]));
      },
      'NON_COMPLIANT',
    ],
    [
      'a multi-Region trail of another account',
      (s) => {
        s.trails[SRC_SCOPE] = known([]);
        s.trails[DST_SCOPE] = known(mutable([trail(DST_ACCOUNT, DST_REGION, { isMultiRegion: true })]));
      },
      'NON_COMPLIANT',
    ],
    [
      'unreadable trails',
      (s) => void (s.trails[SRC_SCOPE] = denied('cloudtrail:DescribeTrails')),
      'UNKNOWN',
      /cloudtrail:DescribeTrails/,
    ],
    ['trails not collected', (s) => void delete s.trails[SRC_SCOPE], 'UNKNOWN', /were not read/],
    [
      'unreadable trail status',
      sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, { isLogging: denied('cloudtrail:GetTrailStatus') })),
      'UNKNOWN',
      /cloudtrail:GetTrailStatus/,
    ],
    [
      'unreadable selectors',
      sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, { s3DataEvents: denied('cloudtrail:GetEventSelectors') })),
      'UNKNOWN',
      /cloudtrail:GetEventSelectors/,
    ],
    [
      'unreadable status of a trail that does not cover the bucket anyway',
      sourceTrails(
        trail(SRC_ACCOUNT, SRC_REGION, {
          isLogging: denied('cloudtrail:GetTrailStatus'),
          ...selectors(sel('ReadOnly', ['arn:aws:s3'])),
        }),
      ),
      'NON_COMPLIANT',
    ],
  ])('source: %s → %s', (_name, change, status, message) => {
    const result = resultFor(cloudtrailDataEvents.evaluate(variant(change)), null);
    expect(result.status).toBe(status);
    if (message) expect(result.message).toMatch(message);
  });

  it.each<Case>([
    [
      'no trail in the destination account',
      (s) => void (s.trails[DST_SCOPE] = known([])),
      'NON_COMPLIANT',
      /account 222222222222, us-west-2/,
    ],
    ['a trail of the source account only', (s) => void delete s.trails[DST_SCOPE], 'UNKNOWN'],
    [
      'an unreadable destination Region',
      (s) => {
        const d = s.destinations[DST_ARN];
        if (d) d.region = denied('s3:GetBucketLocation');
      },
      'UNKNOWN',
    ],
  ])('destination: %s → %s', (_name, change, status, message) => {
    const result = resultFor(cloudtrailDataEvents.evaluate(variant(change)), DST_BUCKET);
    expect(result.status).toBe(status);
    if (message) expect(result.message).toMatch(message);
  });

  it('adds the selector to the existing trail, starting it when it is not logging', () => {
    const result = resultFor(
      cloudtrailDataEvents.evaluate(
        variant(sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, { isLogging: known(false), ...selectors() }))),
      ),
      null,
    );
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.remediation).toBe(
      'Start logging on trail phi-trail, and add an S3 data event selector for phi-prod to trail phi-trail (account 111111111111), keeping its other selectors.',
    );
    const about = {
      trailArn: `arn:aws:cloudtrail:${SRC_REGION}:${SRC_ACCOUNT}:trail/phi-trail`,
      trailName: 'phi-trail',
      accountId: SRC_ACCOUNT,
      region: SRC_REGION,
    };
    expect(result.changes).toEqual([
      { kind: 'trail-logging', ...about },
      { kind: 'trail-selectors', ...about, selector: { buckets: ['phi-prod'] } },
    ]);
  });

  it('adds only the selector to a trail that is already logging', () => {
    const result = resultFor(
      cloudtrailDataEvents.evaluate(
        variant(sourceTrails(trail(SRC_ACCOUNT, SRC_REGION, selectors(sel('ReadOnly', ['arn:aws:s3']))))),
      ),
      null,
    );
    expect(result.remediation).toMatch(/^Add an S3 data event selector for phi-prod to trail phi-trail/);
    expect(result.changes).toEqual([
      {
        kind: 'trail-selectors',
        trailArn: `arn:aws:cloudtrail:${SRC_REGION}:${SRC_ACCOUNT}:trail/phi-trail`,
        trailName: 'phi-trail',
        accountId: SRC_ACCOUNT,
        region: SRC_REGION,
        selector: { buckets: ['phi-prod'] },
      },
    ]);
  });

  it('asks a person to create a multi-Region trail when there is none', () => {
    const result = resultFor(
      cloudtrailDataEvents.evaluate(variant((s) => void (s.trails[DST_SCOPE] = known([])))),
      DST_BUCKET,
    );
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.remediation).toBe(
      'Create a multi-Region trail in account 222222222222, us-west-2 with S3 data events for phi-dr.',
    );
    expect(result.changes).toEqual([
      {
        kind: 'decision',
        accountId: DST_ACCOUNT,
        text: 'Create a multi-Region trail in account 222222222222 (choose the S3 bucket that keeps its logs), then run the fix again to add the data events of phi-dr.',
      },
    ]);
  });

  it("covers a second destination in another Region through the source account's multi-Region trail", () => {
    const results = cloudtrailDataEvents.evaluate(variant(addSecondDestination));
    expect(resultFor(results, ARCHIVE_BUCKET).status).toBe('COMPLIANT');
    expect(results).toHaveLength(3);
  });
});
