import type { Change } from '../../model/fix.js';

/**
 * A customer managed key a fix creates for `bucket` (in its account and Region), named by an alias because
 * its id exists only once it is created: `alias/replguard/<bucket>`.
 */
export const keyChoice = (
  bucket: string,
  accountId: string,
  region: string,
): { alias: string; change: Extract<Change, { kind: 'create-key' }> } => {
  // KMS alias names take letters, digits, '/', '_' and '-' only (bucket names may have dots).
  const alias = `alias/replguard/${bucket.replace(/[^A-Za-z0-9/_-]/g, '-')}`;
  return {
    alias,
    change: {
      kind: 'create-key',
      alias,
      accountId,
      region,
      description: `ReplGuard: SSE-KMS key of S3 bucket ${bucket}`,
    },
  };
};

/** A change to the source's replication configuration: fields of rules set, or rules added. */
export const replicationChange = (
  source: { readonly name: string; readonly accountId: string; readonly region: string },
  parts: Pick<Extract<Change, { kind: 'replication' }>, 'patches' | 'additions'>,
): Extract<Change, { kind: 'replication' }> => ({
  kind: 'replication',
  bucket: source.name,
  accountId: source.accountId,
  region: source.region,
  ...parts,
});
