/**
 * Read-modify-write of policy documents: the current document with ReplGuard's statements merged in by Sid,
 * and deny statements narrowed so they stop applying to one principal. Every existing statement survives;
 * merging is idempotent and does not depend on the order the additions come in.
 */
import type { Exemption, PlannedDocument, Statement } from '../model/fix.js';
import type { PolicyDocument } from '../model/snapshot.js';

const list = (value: unknown): unknown[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

const statementsOf = (doc: PolicyDocument | null | undefined): Statement[] =>
  doc ? list(doc.Statement).filter((s): s is Statement => typeof s === 'object' && s !== null) : [];

/** A statement's Sid, or `#n` (1-based position) when it has none. */
export const labelOf = (statement: Statement, index: number): string =>
  typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : `#${index + 1}`;

/** Canonical JSON (sorted keys), for comparing statement parts. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
};

/** What must be equal for two statements to be merged into one: everything but their actions and resources. */
const shapeOf = (s: Statement): string =>
  canonical({ Effect: s.Effect, Principal: s.Principal, Condition: s.Condition, NotAction: s.NotAction });

const strings = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === 'string');

/** One value when there is one, else the list (AWS's own habit). */
const oneOrMany = (values: readonly string[]): string | string[] =>
  values.length === 1 ? (values[0] as string) : [...values];

/** `items` followed by the sorted `more` not already there. */
const extend = (items: readonly string[], more: readonly string[]): string[] => [
  ...items,
  ...[...new Set(more)].filter((m) => !items.includes(m)).sort(),
];

/**
 * The additions merged among themselves, independent of their order: statements with the same Sid and shape
 * become one (actions and resources joined and sorted); the result is sorted by Sid and shape.
 */
export const mergeAdditions = (additions: readonly Statement[]): Statement[] => {
  const groups = new Map<string, Statement[]>();
  for (const s of additions) {
    const key = `${String(s.Sid ?? '')}\u0000${shapeOf(s)}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => {
      const first = group[0] as Statement;
      const actions = extend(
        [],
        group.flatMap((s) => strings(s.Action)),
      );
      const resources = extend(
        [],
        group.flatMap((s) => strings(s.Resource)),
      );
      return {
        ...(first.Sid !== undefined ? { Sid: first.Sid } : {}),
        Effect: first.Effect,
        ...(first.Principal !== undefined ? { Principal: first.Principal } : {}),
        ...(actions.length ? { Action: oneOrMany(actions) } : {}),
        ...(resources.length ? { Resource: oneOrMany(resources) } : {}),
        ...(first.Condition !== undefined ? { Condition: first.Condition } : {}),
      };
    });
};

/** True when `existing` already grants (or denies) everything `addition` does, with the same shape. */
const covers = (existing: Statement, addition: Statement): boolean =>
  shapeOf(existing) === shapeOf(addition) &&
  strings(addition.Action).every((a) => strings(existing.Action).includes(a)) &&
  strings(addition.Resource).every((r) => strings(existing.Resource).includes(r));

/** A Sid not yet used: `sid`, else `sid2`, `sid3`, … */
const freeSid = (sid: string, used: ReadonlySet<string>): string => {
  if (!used.has(sid)) return sid;
  let n = 2;
  while (used.has(`${sid}${n}`)) n++;
  return `${sid}${n}`;
};

/**
 * `doc` with `additions` merged in. An addition whose Sid is taken by a statement of the same shape extends
 * it (actions and resources joined); one taken by a different statement gets a free Sid; one the document
 * already covers changes nothing. Version and Id are kept; with no document, a new one.
 */
export const withAdditions = (
  doc: PolicyDocument | null | undefined,
  additions: readonly Statement[],
): PlannedDocument => {
  const statements = statementsOf(doc).map((s) => ({ ...s }));
  const used = new Set(statements.map((s) => s.Sid).filter((sid): sid is string => typeof sid === 'string'));
  for (const addition of mergeAdditions(additions)) {
    if (statements.some((s) => covers(s, addition))) continue;
    const sid = typeof addition.Sid === 'string' ? addition.Sid : undefined;
    // The statement to extend: the addition's Sid (or a suffixed one from an earlier merge) of the same shape.
    const same = statements.findIndex(
      (s) =>
        sid !== undefined &&
        typeof s.Sid === 'string' &&
        (s.Sid === sid || new RegExp(`^${sid.replace(/[^A-Za-z0-9]/g, '')}\\d+$`).test(s.Sid)) &&
        shapeOf(s) === shapeOf(addition),
    );
    const target = statements[same];
    if (target) {
      const actions = extend(strings(target.Action), strings(addition.Action));
      const resources = extend(strings(target.Resource), strings(addition.Resource));
      statements[same] = {
        ...target,
        ...(actions.length ? { Action: oneOrMany(actions) } : {}),
        ...(resources.length ? { Resource: oneOrMany(resources) } : {}),
      };
      continue;
    }
    const free = sid === undefined ? undefined : freeSid(sid, used);
    if (free) used.add(free);
    statements.push(free ? { ...addition, Sid: free } : addition);
  }
  return {
    Version: doc?.Version ?? '2012-10-17',
    ...(doc?.Id ? { Id: doc.Id } : {}),
    Statement: statements,
  };
};

/** The principals a deny statement exempts through `ArnNotEquals aws:PrincipalArn`. */
const exemptedOf = (statement: Statement): string[] => {
  const condition = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
  return strings(condition.ArnNotEquals?.['aws:PrincipalArn']);
};

/**
 * `doc` with each exempted deny statement narrowed: it no longer applies to the named principals
 * (`ArnNotEquals aws:PrincipalArn`, ANDed with its other conditions), and still denies everyone else.
 * Statements are found by Sid or `#n`; allow statements and unknown labels are left alone.
 */
export const withExemptions = (
  doc: PolicyDocument | null | undefined,
  exemptions: readonly Exemption[],
): PlannedDocument => {
  const statements = statementsOf(doc).map((s, i) => {
    const label = labelOf(s, i);
    const principals = exemptions.filter((e) => e.statement === label).map((e) => e.principalArn);
    if (principals.length === 0 || s.Effect !== 'Deny') return s;
    const have = exemptedOf(s);
    const all = extend(have, principals);
    if (all.length === have.length) return s;
    const condition = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
    return {
      ...s,
      Condition: {
        ...condition,
        ArnNotEquals: { ...condition.ArnNotEquals, 'aws:PrincipalArn': oneOrMany(all) },
      },
    };
  });
  return {
    Version: doc?.Version ?? '2012-10-17',
    ...(doc?.Id ? { Id: doc.Id } : {}),
    Statement: statements,
  };
};

/** The planned document: exemptions first (labels refer to the current statements), then additions. */
export const plannedDocument = (
  doc: PolicyDocument | null | undefined,
  additions: readonly Statement[],
  exemptions: readonly Exemption[],
): PlannedDocument => withAdditions(withExemptions(doc, exemptions), additions);
