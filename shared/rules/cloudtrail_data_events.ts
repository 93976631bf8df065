import type { TrailInfo } from '../model/snapshot.js';
import { bucketsToCheck, describeBucket } from './lib/buckets.js';
import type { Change } from '../model/fix.js';
import { partitionOf, partitionOfArn } from '../model/partition.js';
import { selectorCoversBucket, trailsInScope } from './lib/trails.js';
import { need, resultsFor } from './result.js';
import { defineRule, Hipaa } from './types.js';

/** Why a trail does not log the bucket's object writes, or undefined when it does. */
const gapOf = (trail: TrailInfo, bucket: string): string | undefined => {
  if (trail.isLogging.known && !trail.isLogging.value) return `trail ${trail.name} is not logging`;
  if (!trail.s3DataEvents.known) return undefined;
  const selectors = trail.s3DataEvents.value;
  if (selectors.some((s) => selectorCoversBucket(s, bucket, partitionOfArn(trail.arn)))) return undefined;
  if (selectors.length === 0) return `trail ${trail.name} records no S3 data events`;
  if (selectors.every((s) => s.readWrite === 'ReadOnly'))
    return `trail ${trail.name} records only read data events`;
  return `trail ${trail.name} records S3 data events of other buckets only`;
};

/** Who read or changed PHI objects, at the source and every replica: CloudTrail S3 data events. */
export const cloudtrailDataEvents = defineRule({
  id: 'cloudtrail_data_events',
  title: 'CloudTrail records S3 data events for the source and destination buckets',
  problem: 'S3 data events not logged',
  severity: 'MEDIUM',
  hipaa: [Hipaa.AuditControls],
  remediation: {
    text: 'Add an S3 data event selector (all or write events) covering the bucket to a logging trail of its account and Region, or to a multi-Region trail.',
    url: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html',
  },
  permissions: [
    'cloudtrail:DescribeTrails',
    'cloudtrail:GetEventSelectors',
    'cloudtrail:GetTrailStatus',
    's3:GetReplicationConfiguration',
    's3:GetBucketLocation',
  ],
  evaluate(snapshot) {
    const results = resultsFor(cloudtrailDataEvents, snapshot);
    const { buckets, skipped } = bucketsToCheck(snapshot, results);
    return [
      ...buckets.map((bucket) => {
        const what = describeBucket(bucket);
        const region = need(bucket.region, `the Region of ${bucket.name}`, results, bucket.scope);
        if (!region.ok) return region.result;
        const { trails, unreadable } = trailsInScope(snapshot, bucket.accountId, region.value);
        const covering = trails.find(
          (t) =>
            t.isLogging.known &&
            t.isLogging.value &&
            t.s3DataEvents.known &&
            t.s3DataEvents.value.some((s) => selectorCoversBucket(s, bucket.name, partitionOf(region.value))),
        );
        if (covering)
          return results.compliant(
            `Trail ${covering.name} (${covering.isMultiRegion ? 'multi-Region' : covering.homeRegion}) records S3 data events for the ${what}.`,
            { ...bucket.scope, details: { trail: covering.arn } },
          );
        const undecided = trails.flatMap((t) =>
          gapOf(t, bucket.name) !== undefined
            ? []
            : [!t.isLogging.known ? t.isLogging : t.s3DataEvents].filter((d) => !d.known),
        );
        const missing = undecided[0] ?? unreadable[0];
        if (missing) return results.unknown(`the trails logging ${bucket.name}`, missing, bucket.scope);
        const gaps = trails.map((t) => gapOf(t, bucket.name)).filter((g): g is string => g !== undefined);
        // The trail to extend: one of the bucket's own account (an organization trail belongs to the management
        // account), logging if possible.
        const own = trails.filter((t) => t.arn.split(':')[4] === bucket.accountId);
        const trail =
          [...own, ...trails].find((t) => t.isLogging.known && t.isLogging.value) ?? own[0] ?? trails[0];
        const where = `account ${bucket.accountId}, ${region.value}`;
        const owner = trail?.arn.split(':')[4] ?? bucket.accountId;
        const about = {
          trailArn: trail?.arn ?? '',
          trailName: trail?.name ?? '',
          accountId: owner,
          region: trail?.homeRegion ?? region.value,
        };
        const changes: Change[] = trail
          ? [
              ...(trail.isLogging.known && !trail.isLogging.value
                ? [{ kind: 'trail-logging' as const, ...about }]
                : []),
              { kind: 'trail-selectors', ...about, selector: { buckets: [bucket.name] } },
            ]
          : [
              {
                kind: 'decision',
                accountId: bucket.accountId,
                text: `Create a multi-Region trail in account ${bucket.accountId} (choose the S3 bucket that keeps its logs), then run the fix again to add the data events of ${bucket.name}.`,
              },
            ];
        const fix = trail
          ? `${trail.isLogging.known && !trail.isLogging.value ? `Start logging on trail ${trail.name}, and add` : 'Add'} an S3 data event selector for ${bucket.name} to trail ${trail.name} (account ${owner}), keeping its other selectors.`
          : `Create a multi-Region trail in ${where} with S3 data events for ${bucket.name}.`;
        return results.nonCompliant(
          `No logging trail records S3 data events for the ${what} (${where})${gaps.length > 0 ? `: ${gaps.join('; ')}` : ': there is no trail'}.`,
          fix,
          { ...bucket.scope, changes },
        );
      }),
      ...skipped,
    ];
  },
});
