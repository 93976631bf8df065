import type { UnknownDatum } from '../../model/datum.js';
import { type DataEventSelector, type Snapshot, type TrailInfo, trailScopeId } from '../../model/snapshot.js';
import { shJson, shq } from '../../support/shell.js';

/**
 * True when the selector logs writes (`All` or `WriteOnly`) to every object of `bucket`: one resource prefix
 * is a prefix of `arn:aws:s3:::bucket/` (so `arn:aws:s3`, `arn:aws:s3:::` and `arn:aws:s3:::bucket/` all count)
 * and no excluded prefix takes the whole bucket out again.
 */
export const selectorCoversBucket = (selector: DataEventSelector, bucket: string): boolean => {
  if (selector.readWrite === 'ReadOnly') return false;
  const objects = `arn:aws:s3:::${bucket}/`;
  return (
    selector.resourcePrefixes.some((p) => p.length > 0 && objects.startsWith(p)) &&
    !selector.excludedPrefixes.some((e) => e.length > 0 && objects.startsWith(e))
  );
};

/** The trails that can log events of buckets in `accountId`/`region`, and what could not be read about them. */
export interface TrailsInScope {
  readonly trails: readonly TrailInfo[];
  /** Trail lists that could not be read (the scope's own, or not collected at all). */
  readonly unreadable: readonly UnknownDatum[];
}

/**
 * Trails of the scope `accountId:region`, plus multi-Region trails found in other Regions of the same account
 * (they log every Region). Deduplicated by ARN.
 */
export const trailsInScope = (snapshot: Snapshot, accountId: string, region: string): TrailsInScope => {
  const own = trailScopeId(accountId, region);
  const trails = new Map<string, TrailInfo>();
  const unreadable: UnknownDatum[] = [];
  const ownDatum = snapshot.trails[own];
  if (!ownDatum)
    unreadable.push({
      known: false,
      reason: `the trails of account ${accountId} in ${region} were not read`,
      permission: 'cloudtrail:DescribeTrails',
      source: 'derived',
    });
  else if (!ownDatum.known) unreadable.push(ownDatum);
  else for (const t of ownDatum.value) trails.set(t.arn, t);
  for (const [scope, datum] of Object.entries(snapshot.trails)) {
    if (scope === own || !scope.startsWith(`${accountId}:`) || !datum.known) continue;
    for (const t of datum.value) if (t.isMultiRegion && !trails.has(t.arn)) trails.set(t.arn, t);
  }
  return { trails: [...trails.values()], unreadable };
};

/** The advanced event selector logging every data event on the objects of `bucket`. */
export const bucketDataEventSelector = (bucket: string) => ({
  Name: `S3 data events for ${bucket}`,
  FieldSelectors: [
    { Field: 'eventCategory', Equals: ['Data'] },
    { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
    { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${bucket}/`] },
  ],
});

/** `aws cloudtrail put-event-selectors` adding S3 data events for `bucket` to `trail` (replaces its selectors). */
export const putDataEventSelectorsCommand = (trailName: string, region: string, bucket: string): string =>
  `aws cloudtrail put-event-selectors --region ${shq(region)} --trail-name ${shq(trailName)} --advanced-event-selectors ${shJson(
    [bucketDataEventSelector(bucket)],
  )}`;
