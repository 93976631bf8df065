import { describe, expect, it } from 'vitest';
import { known } from '../../../../shared/model/datum.js';
import type { DataEventSelector } from '../../../../shared/model/snapshot.js';
import { selectorCoversBucket, trailsInScope } from '../../../../shared/rules/lib/trails.js';
import {
  DST_ACCOUNT,
  healthySnapshot,
  SRC_ACCOUNT,
  SRC_REGION,
  variant,
} from '../../../fixtures/snapshots.js';

const sel = (
  readWrite: DataEventSelector['readWrite'],
  resourcePrefixes: string[],
  excludedPrefixes: string[] = [],
) => ({
  readWrite,
  resourcePrefixes,
  excludedPrefixes,
});

describe('selectorCoversBucket', () => {
  it.each<[string, DataEventSelector, boolean]>([
    ['all S3 (basic selector)', sel('All', ['arn:aws:s3']), true],
    ['all buckets (console form)', sel('WriteOnly', ['arn:aws:s3:::']), true],
    ['the bucket', sel('All', ['arn:aws:s3:::phi-prod/']), true],
    ['a bucket-name prefix (advanced StartsWith)', sel('All', ['arn:aws:s3:::phi']), true],
    ['read events only', sel('ReadOnly', ['arn:aws:s3']), false],
    ['a key prefix inside the bucket', sel('All', ['arn:aws:s3:::phi-prod/scans/']), false],
    ['a longer bucket name', sel('All', ['arn:aws:s3:::phi-prod-archive/']), false],
    ['all but this bucket', sel('All', ['arn:aws:s3'], ['arn:aws:s3:::phi-prod/']), false],
    ['all but buckets starting phi', sel('All', ['arn:aws:s3'], ['arn:aws:s3:::phi']), false],
    ['all but a prefix inside the bucket', sel('All', ['arn:aws:s3'], ['arn:aws:s3:::phi-prod/tmp/']), true],
    ['nothing', sel('All', []), false],
    ['an empty prefix', sel('All', ['']), false],
  ])('%s: %s', (_what, selector, expected) => {
    expect(selectorCoversBucket(selector, 'phi-prod')).toBe(expected);
  });
});

describe('trailsInScope', () => {
  it('adds multi-Region trails of other Regions of the same account, once each', () => {
    const snapshot = variant((s) => {
      const own = s.trails[`${SRC_ACCOUNT}:${SRC_REGION}`];
      if (own) s.trails[`${SRC_ACCOUNT}:eu-west-1`] = structuredClone(own);
    });
    const scope = trailsInScope(snapshot, SRC_ACCOUNT, 'eu-west-1');
    expect(scope.trails.map((t) => t.name)).toEqual(['org-trail']);
    expect(scope.unreadable).toEqual([]);
  });

  it('reports the scope as unread when it was not collected, and keeps other accounts out', () => {
    const scope = trailsInScope(healthySnapshot(), DST_ACCOUNT, 'eu-west-1');
    expect(scope.trails.map((t) => t.arn)).toEqual([
      `arn:aws:cloudtrail:us-west-2:${DST_ACCOUNT}:trail/org-trail`,
    ]);
    expect(scope.unreadable[0]).toMatchObject({ permission: 'cloudtrail:DescribeTrails' });
    expect(
      trailsInScope(
        variant((s) => void (s.trails = { x: known([]) })),
        SRC_ACCOUNT,
        SRC_REGION,
      ).trails,
    ).toEqual([]);
  });
});
