/**
 * A fix never weakens a control. Whatever a rule asks for, a step is refused when it would drop or loosen a
 * deny statement beyond sparing the replication role, touch a TLS-only deny at all, turn KMS default
 * encryption into something weaker, or shorten or soften Object Lock retention.
 */
import type { Statement } from '../model/fix.js';
import type { PolicyDocument } from '../model/snapshot.js';
import type { Step } from './steps.js';
import type { World } from './world.js';

const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const statements = (doc: PolicyDocument | null | undefined): Statement[] =>
  doc ? list(doc.Statement).filter((s): s is Statement => typeof s === 'object' && s !== null) : [];
const label = (s: Statement, i: number): string => (typeof s.Sid === 'string' && s.Sid ? s.Sid : `#${i + 1}`);

const isTlsDeny = (s: Statement): boolean =>
  s.Effect === 'Deny' &&
  JSON.stringify(s.Condition ?? {})
    .toLowerCase()
    .includes('aws:securetransport');

/** The statement without the exemption a fix may add (ArnNotEquals aws:PrincipalArn). */
const withoutExemption = (s: Statement): string => {
  const condition = { ...((s.Condition ?? {}) as Record<string, Record<string, unknown>>) };
  if (condition.ArnNotEquals) {
    const { 'aws:PrincipalArn': _spared, ...rest } = condition.ArnNotEquals;
    if (Object.keys(rest).length) condition.ArnNotEquals = rest;
    else delete condition.ArnNotEquals;
  }
  return JSON.stringify({ ...s, Condition: Object.keys(condition).length ? condition : undefined });
};

/** A deny that names only principals it also exempts (a narrowed deny that no longer denies anyone). */
const appliesToNobody = (s: Statement): boolean => {
  const spared = list(
    ((s.Condition ?? {}) as Record<string, Record<string, unknown>>).ArnNotEquals?.['aws:PrincipalArn'],
  );
  if (spared.length === 0 || s.Principal === '*' || s.Principal === undefined) return false;
  const named = list((s.Principal as Record<string, unknown>).AWS);
  const others = Object.keys(s.Principal as object).filter((k) => k !== 'AWS');
  return others.length === 0 && named.length > 0 && named.every((p) => spared.includes(p));
};

/** Why the new document weakens a deny of the current one, or undefined. */
export const weakensDenies = (
  current: PolicyDocument | null | undefined,
  next: PolicyDocument,
): string | undefined => {
  const after = statements(next);
  const before = statements(current);
  for (const [i, s] of before.entries()) {
    if (s.Effect !== 'Deny') continue;
    const name = label(s, i);
    const kept = after.find((a, j) => label(a, j) === name);
    if (!kept) return `it would remove deny statement ${name}`;
    if (isTlsDeny(s) && JSON.stringify(kept) !== JSON.stringify(s))
      return `it would change the TLS-only deny statement ${name}`;
    if (withoutExemption(kept) !== withoutExemption(s)) return `it would loosen deny statement ${name}`;
    if (appliesToNobody(kept)) return `it would make deny statement ${name} apply to no one`;
  }
  return undefined;
};

const MODE = { GOVERNANCE: 1, COMPLIANCE: 2 } as const;

/** Why `step` would weaken a control, or undefined when it does not. */
export const guardStep = (step: Step, world: World): string | undefined => {
  const f = step.final;
  switch (f.kind) {
    case 'policy': {
      const h = f.change.holder;
      const current =
        h.kind === 'bucket-policy'
          ? world.bucket(h.bucket)?.policy
          : h.kind === 'key-policy'
            ? world.key(h.keyArn)?.policy
            : undefined;
      const doc =
        current?.known === true
          ? current.value
          : h.kind === 'trust-policy'
            ? world.role(h.roleArn)?.trustPolicy
            : h.kind === 'role-inline-policy'
              ? world.role(h.roleArn)?.inlinePolicies.find((p) => p.name === h.policyName)?.document
              : h.kind === 'managed-policy'
                ? world.managedPolicy(h.policyArn)?.document
                : undefined;
      const why = weakensDenies(doc, f.doc);
      return why ? `ReplGuard refuses to change ${step.resource}: ${why}` : undefined;
    }
    case 'encryption': {
      const current = world.bucket(f.bucket)?.encryption;
      if (current?.known && current.value?.algorithm === 'aws:kms:dsse')
        return `ReplGuard refuses to change ${step.resource}: DSSE-KMS is stronger than the SSE-KMS it would set`;
      return undefined;
    }
    case 'object-lock': {
      const current = world.bucket(f.bucket)?.objectLock;
      const have = current?.known ? current.value?.defaultRetention : undefined;
      const want = f.change.retention;
      if (!have) return undefined;
      const days = (r: { days?: number; years?: number }) => (r.days ?? 0) + (r.years ?? 0) * 365;
      if (!want || MODE[want.mode] < MODE[have.mode] || (want.mode === have.mode && days(want) < days(have)))
        return `ReplGuard refuses to change ${step.resource}: it would shorten or soften the retention ${have.mode} ${days(have)} days`;
      return undefined;
    }
    default:
      return undefined;
  }
};
