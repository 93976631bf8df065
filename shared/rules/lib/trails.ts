import { ALL_S3_OBJECTS } from '../../collect/normalise/cloudtrail.js';
import type { UnknownDatum } from '../../model/datum.js';
import type { Partition } from '../../model/partition.js';
import { type DataEventSelector, type Snapshot, type TrailInfo, trailScopeId } from '../../model/snapshot.js';

/**
 * True when the selector logs writes (`All` or `WriteOnly`) to every object of `bucket`: one resource prefix
 * is a prefix of `arn:aws:s3:::bucket/` (so `arn:aws:s3`, `arn:aws:s3:::` and `arn:aws:s3:::bucket/` all count)
 * and no excluded prefix takes the whole bucket out again.
 */
export const selectorCoversBucket = (
  selector: DataEventSelector,
  bucket: string,
  partition: Partition = 'aws',
): boolean => {
  if (selector.readWrite === 'ReadOnly') return false;
  const objects = `arn:${partition}:s3:::${bucket}/`;
  // "Every S3 object" is normalised as arn:aws:s3 (advanced selectors name no partition): any partition's.
  const inPartition = (p: string) =>
    p === ALL_S3_OBJECTS || p === `${ALL_S3_OBJECTS}:::` ? p.replace('arn:aws:', `arn:${partition}:`) : p;
  return (
    selector.resourcePrefixes.some((p) => p.length > 0 && objects.startsWith(inPartition(p))) &&
    !selector.excludedPrefixes.some((e) => e.length > 0 && objects.startsWith(inPartition(e)))
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
