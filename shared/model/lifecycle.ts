/** A bucket's lifecycle rules, as far as the replication canary needs them (what expires, under which filter). */
export interface LifecycleRuleInfo {
  readonly id?: string;
  readonly enabled: boolean;
  /** The key prefix the rule applies to (`''`: every key). */
  readonly prefix: string;
  /** The rule also filters on object tags (objects without them are not covered). */
  readonly tagFiltered: boolean;
  /** Size bounds of the filter, in bytes. */
  readonly objectSizeGreaterThan?: number;
  readonly objectSizeLessThan?: number;
  /** Current versions expire (after days, or on a date). */
  readonly expiresCurrent: boolean;
  /** Noncurrent versions expire after this many days. */
  readonly noncurrentDays?: number;
}
