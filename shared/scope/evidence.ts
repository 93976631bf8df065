/**
 * Evidence that a bucket receives replicas: a source bucket whose replication rule names it (from a
 * replication index), or a bucket policy that lets another account's principal write replicas into it (the
 * statement AWS requires on a cross-account destination). Pure: it reads the data it is given.
 */
import type { PolicyDocument } from '../model/snapshot.js';
import { statementMayMatchAction } from '../policy/actions.js';
import { statementsOf } from '../policy/documents.js';

const list = (value: unknown): unknown[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

/** AWS principals of a statement (`"*"` included). */
const awsPrincipals = (statement: Readonly<Record<string, unknown>>): string[] => {
  const principal = statement.Principal;
  if (principal === '*') return ['*'];
  if (typeof principal !== 'object' || principal === null) return [];
  return list((principal as Record<string, unknown>).AWS).filter((p): p is string => typeof p === 'string');
};

/**
 * The principals a bucket policy allows `s3:ReplicateObject` (directly or through a wildcard action such as
 * `s3:Replicate*`): the replication roles of the sources that write into it.
 */
export const replicationWritersOf = (policy: PolicyDocument | null): string[] => {
  if (!policy) return [];
  const writers = statementsOf(policy)
    .filter(
      (s) =>
        s.Effect === 'Allow' &&
        s.NotAction === undefined &&
        s.Action !== undefined &&
        statementMayMatchAction(s, 's3:ReplicateObject'),
    )
    .flatMap(awsPrincipals);
  return [...new Set(writers)].sort();
};
