import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import type { DataEventSelector } from '../../model/snapshot.js';

const S3_OBJECT = 'AWS::S3::Object';
/** A resource prefix covering every S3 object (as CloudTrail's basic selectors spell it). */
export const ALL_S3_OBJECTS = 'arn:aws:s3';

type ReadWrite = DataEventSelector['readWrite'];

const asReadWrite = (value: string | undefined): ReadWrite =>
  value === 'ReadOnly' || value === 'WriteOnly' ? value : 'All';

/** Basic selectors: each `AWS::S3::Object` data resource becomes one selector with its `Values` as prefixes. */
export const normaliseBasicSelectors = (selectors: readonly EventSelector[]): DataEventSelector[] =>
  selectors.flatMap((s) =>
    (s.DataResources ?? [])
      .filter((r) => r.Type === S3_OBJECT)
      .map((r) => ({
        readWrite: asReadWrite(s.ReadWriteType),
        resourcePrefixes: [...(r.Values ?? [])],
        excludedPrefixes: [],
      })),
  );

const equalsOnly = (f: AdvancedFieldSelector | undefined, value: string): boolean =>
  f !== undefined && (f.Equals ?? []).includes(value);

/** Read-only API names: excluding only these (a common cost saving) still logs every write. */
const READ_EVENT = /^(Get|Head|List|Select)/;

/** `readOnly` field → what the selector logs: Equals true → reads, Equals false → writes, absent → all. */
const readWriteOf = (f: AdvancedFieldSelector | undefined): ReadWrite => {
  if (!f) return 'All';
  const equals = f.Equals ?? [];
  const notEquals = f.NotEquals ?? [];
  const reads = equals.includes('true') || notEquals.includes('false');
  const writes = equals.includes('false') || notEquals.includes('true');
  if (reads && !writes) return 'ReadOnly';
  if (writes && !reads) return 'WriteOnly';
  return 'All';
};

/**
 * True when an `eventName` field selector leaves out some write event: an Equals/StartsWith list logs only
 * those names; NotEquals/NotStartsWith of read-only names (`GetObject`) still logs every write.
 */
const dropsWrites = (f: AdvancedFieldSelector | undefined): boolean => {
  if (!f) return false;
  if ((f.Equals?.length ?? 0) > 0 || (f.StartsWith?.length ?? 0) > 0 || (f.EndsWith?.length ?? 0) > 0)
    return true;
  const excluded = [...(f.NotEquals ?? []), ...(f.NotStartsWith ?? []), ...(f.NotEndsWith ?? [])];
  return excluded.some((name) => !READ_EVENT.test(name));
};

/**
 * Advanced selectors: only those with `eventCategory` = Data and `resources.type` = `AWS::S3::Object`.
 * `resources.ARN` StartsWith → prefixes (none given → all objects); NotStartsWith/NotEquals → exclusions.
 * Equals/EndsWith name single objects or suffixes, never a whole bucket, so they add no prefix; NotEndsWith
 * leaves some objects of every bucket unlogged, so it excludes everything. A selector filtering out write
 * events by `eventName` covers nothing.
 */
export const normaliseAdvancedSelectors = (
  selectors: readonly AdvancedEventSelector[],
): DataEventSelector[] =>
  selectors.flatMap((s) => {
    const fields = s.FieldSelectors ?? [];
    const byName = (name: string) => fields.filter((f) => f.Field === name);
    if (!byName('eventCategory').some((f) => equalsOnly(f, 'Data'))) return [];
    if (!byName('resources.type').some((f) => equalsOnly(f, S3_OBJECT))) return [];
    const arnFields = byName('resources.ARN');
    const restrictive = arnFields.filter(
      (f) => (f.StartsWith?.length ?? 0) > 0 || (f.Equals?.length ?? 0) > 0 || (f.EndsWith?.length ?? 0) > 0,
    );
    const resourcePrefixes =
      restrictive.length === 0
        ? [ALL_S3_OBJECTS]
        : intersectPrefixes(restrictive.map((f) => f.StartsWith ?? []));
    const excludedPrefixes = arnFields.flatMap((f) => [
      ...(f.NotStartsWith ?? []),
      ...(f.NotEquals ?? []),
      ...((f.NotEndsWith?.length ?? 0) > 0 ? ['arn:aws:s3:::'] : []),
    ]);
    const readWrite = readWriteOf(byName('readOnly')[0]);
    const writesDropped = byName('eventName').some(dropsWrites);
    return [
      {
        readWrite,
        resourcePrefixes: writesDropped ? [] : resourcePrefixes,
        excludedPrefixes,
      },
    ];
  });

/** Prefixes allowed by every list (a prefix is kept when every list has one it extends); several ARN fields intersect. */
const intersectPrefixes = (lists: readonly (readonly string[])[]): string[] => {
  const all = [...new Set(lists.flat().filter((p) => p.length > 0))];
  return all.filter((p) => lists.every((list) => list.some((q) => q.length > 0 && p.startsWith(q))));
};

/** Both kinds of selector of one trail, normalised (a trail has one kind or the other). */
export const normaliseSelectors = (out: {
  EventSelectors?: readonly EventSelector[];
  AdvancedEventSelectors?: readonly AdvancedEventSelector[];
}): DataEventSelector[] => [
  ...normaliseBasicSelectors(out.EventSelectors ?? []),
  ...normaliseAdvancedSelectors(out.AdvancedEventSelectors ?? []),
];
