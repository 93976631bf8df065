import { type Datum, DataSource, unknown } from '../../model/datum.js';
import { type KeyInfo, keyRefId, type Snapshot } from '../../model/snapshot.js';

/**
 * Finds a KMS key reference (key id, key ARN, alias name or alias ARN) in `snapshot.keys`. A bare id or
 * alias name resolves in `region` and the first of `accountIds` that has it; a key id also matches a read
 * key with that id in that Region (multi-Region keys share ids across Regions). Not read → UNKNOWN datum.
 */
export const resolveKey = (
  snapshot: Snapshot,
  ref: string,
  region: string | undefined,
  accountIds: readonly string[],
): Datum<KeyInfo | null> => {
  const candidates = ref.startsWith('arn:')
    ? [ref]
    : region === undefined
      ? []
      : accountIds.map((account) => keyRefId(ref, region, account));
  for (const id of candidates) {
    const found = snapshot.keys[id];
    if (found) return found;
  }
  if (!ref.startsWith('alias/') && !ref.startsWith('arn:')) {
    for (const datum of Object.values(snapshot.keys)) {
      if (
        datum.known &&
        datum.value &&
        datum.value.keyId === ref &&
        (region === undefined || datum.value.region === region)
      )
        return datum;
    }
  }
  return unknown(
    region === undefined && !ref.startsWith('arn:')
      ? `KMS key ${ref} cannot be resolved without the Region it is used in`
      : `KMS key ${ref} was not read`,
    'kms:DescribeKey',
    DataSource.Derived,
  );
};

/** The Region of a KMS key or alias ARN, when `ref` is one. */
export const regionOfKeyArn = (ref: string): string | undefined =>
  ref.startsWith('arn:') ? ref.split(':')[3] || undefined : undefined;
