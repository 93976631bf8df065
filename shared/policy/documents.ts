import type { PolicyDocument } from '../model/snapshot.js';
import type { StatementRef } from './types.js';

type Statement = Readonly<Record<string, unknown>>;

const list = (value: unknown): unknown[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

/** The statements of a policy document (a single statement object counts as a list of one). */
export const statementsOf = (doc: PolicyDocument): Statement[] =>
  list(doc.Statement).filter((s): s is Statement => typeof s === 'object' && s !== null);

/** A statement's Sid, or `#n` (1-based position) when it has none. */
export const statementLabel = (statement: Statement, index: number): string =>
  typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : `#${index + 1}`;

/** Condition values as AWS reads them: JSON booleans and numbers are strings to IAM. */
const normaliseCondition = (condition: unknown): unknown => {
  if (typeof condition !== 'object' || condition === null) return condition;
  return Object.fromEntries(
    Object.entries(condition as Record<string, unknown>).map(([operator, block]) => [
      operator,
      typeof block === 'object' && block !== null
        ? Object.fromEntries(
            Object.entries(block as Record<string, unknown>).map(([key, value]) => [
              key,
              Array.isArray(value) ? value.map(String) : typeof value === 'object' ? value : String(value),
            ]),
          )
        : block,
    ]),
  );
};

/**
 * A policy document in the shape the simulator expects: `Statement` always a list, condition values strings.
 * The original is not modified.
 */
export const normaliseDocument = (doc: PolicyDocument): { Version: string; Statement: Statement[] } => ({
  Version: doc.Version ?? '2012-10-17',
  Statement: statementsOf(doc).map((s) =>
    s.Condition === undefined ? s : { ...s, Condition: normaliseCondition(s.Condition) },
  ),
});

/** A document holding only statement `index` of `doc` (to ask the simulator which statements decide). */
export const singleStatement = (doc: PolicyDocument, index: number): PolicyDocument => ({
  Version: doc.Version ?? '2012-10-17',
  Statement: statementsOf(doc).slice(index, index + 1),
});

/** Indexes of the statements of `doc` with the given effect. */
export const statementIndexes = (doc: PolicyDocument, effect: 'Allow' | 'Deny'): number[] =>
  statementsOf(doc).flatMap((s, i) => (s.Effect === effect ? [i] : []));

/** A reference to statement `index` of the policy called `policy`. */
export const refOf = (policy: string, doc: PolicyDocument, index: number): StatementRef => ({
  policy,
  sid: statementLabel(statementsOf(doc)[index] ?? {}, index),
});

/** "bucket policy: AllowReplication", for messages. */
export const describeRef = (ref: StatementRef): string => `${ref.policy}: ${ref.sid}`;
