/**
 * Policy fixes as changes for the fix planner: a grant becomes statements to merge into the document it
 * belongs in; an explicit deny in a bucket or key policy becomes an exemption of the replication role (the
 * deny keeps applying to everyone else). A deny in the role's own policies, a boundary that is not a customer
 * managed policy, or a deny of a service principal is a decision for a person: ReplGuard does not remove
 * denies.
 */
import type { Change } from '../model/fix.js';
import { describeRef } from './documents.js';
import { INLINE_POLICY_NAME, organizationDecision } from './fix.js';
import type { Checked } from './report.js';
import { type Fix, PolicySide } from './types.js';

const isRoleArn = (arn: string): boolean => /^arn:aws[a-z-]*:iam::\d{12}:role\//.test(arn);

const changeOf = (fix: Fix): Change => {
  const t = fix.target;
  // SCPs and RCPs belong to the Organization's administrators: always a decision.
  if (t.type === 'organization-policy')
    return { kind: 'decision', accountId: t.accountId, text: organizationDecision(fix) };
  if (fix.change === 'remove') {
    const refs = (fix.statements ?? []).map(describeRef).join(', ');
    const sids = (fix.statements ?? []).map((st) => st.sid).join(', ');
    if (fix.side !== PolicySide.ResourcePolicy || !isRoleArn(fix.principal) || t.type === 'trust-policy')
      return {
        kind: 'decision',
        accountId: t.accountId,
        text: `${sids ? `Statement ${sids} of ${fix.where}` : `A deny statement in ${fix.where}`} explicitly denies ${fix.actions.join(', ')} to ${fix.principal}: remove or narrow it (ReplGuard does not remove a deny on its own).`,
      };
    const holder =
      t.type === 'bucket-policy'
        ? ({ kind: 'bucket-policy', bucket: t.bucket, accountId: t.accountId } as const)
        : t.type === 'key-policy'
          ? ({
              kind: 'key-policy',
              keyArn: t.keyArn,
              accountId: t.accountId,
              region: t.region ?? t.keyArn.split(':')[3] ?? '',
            } as const)
          : undefined;
    if (!holder)
      return { kind: 'decision', accountId: t.accountId, text: `Remove or narrow ${refs} in ${fix.where}.` };
    return {
      kind: 'policy',
      holder,
      exempt: (fix.statements ?? []).map((s) => ({ statement: s.sid, principalArn: fix.principal })),
    };
  }
  const add = fix.statement ? [fix.statement as unknown as Readonly<Record<string, unknown>>] : [];
  switch (t.type) {
    case 'role-inline-policy':
      return {
        kind: 'policy',
        holder: {
          kind: 'role-inline-policy',
          roleArn: t.roleArn,
          roleName: t.roleName,
          policyName: INLINE_POLICY_NAME,
          accountId: t.accountId,
        },
        add,
      };
    case 'permissions-boundary':
      return t.policyArn && !/:iam::aws:policy\//.test(t.policyArn)
        ? {
            kind: 'policy',
            holder: {
              kind: 'managed-policy',
              policyArn: t.policyArn,
              policyName: t.policyName,
              accountId: t.accountId,
              roleArn: t.roleArn,
            },
            add,
          }
        : {
            kind: 'decision',
            accountId: t.accountId,
            text: `The permissions boundary ${t.policyName} of ${t.roleArn} does not allow ${fix.actions.join(', ')} and is not a customer managed policy ReplGuard can amend: give the role a boundary that allows it.`,
          };
    case 'bucket-policy':
      return {
        kind: 'policy',
        holder: { kind: 'bucket-policy', bucket: t.bucket, accountId: t.accountId },
        add,
      };
    case 'key-policy':
      return {
        kind: 'policy',
        holder: {
          kind: 'key-policy',
          keyArn: t.keyArn,
          accountId: t.accountId,
          region: t.region ?? t.keyArn.split(':')[3] ?? '',
        },
        add,
      };
    case 'trust-policy':
      return {
        kind: 'policy',
        holder: { kind: 'trust-policy', roleArn: t.roleArn, roleName: t.roleName, accountId: t.accountId },
        add,
      };
  }
};

/** The changes that fix every denied check. */
export const changesOf = (checks: readonly Checked[]): Change[] =>
  checks.filter((c) => !c.verdict.allowed).flatMap((c) => c.verdict.fixes.map(changeOf));
