/**
 * Fixes for denied requests: the statement to add and where, or the deny statements in the way; merged
 * across actions, and rendered as text with the command that applies them.
 */
import { describeOrgTarget } from '../model/organization.js';
import { describeRef } from './documents.js';
import {
  type Denial,
  type Fix,
  type FixTarget,
  isServicePrincipal,
  PolicySide,
  type PolicyStatement,
  type SimulationRequest,
  type StatementRef,
} from './types.js';

/** The inline policy ReplGuard's fixes add to the replication role. */
export const INLINE_POLICY_NAME = 'ReplGuardReplication';

const roleNameOf = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** Where a fix on `side` of `request` goes. */
export const targetFor = (request: SimulationRequest, side: PolicySide): FixTarget => {
  const { principal, resource } = request;
  if (side !== PolicySide.ResourcePolicy && !isServicePrincipal(principal)) {
    const role = { roleArn: principal.arn, accountId: principal.accountId };
    const boundary = principal.permissionsBoundary;
    return side === PolicySide.Boundary && boundary
      ? {
          type: 'permissions-boundary',
          policyName: boundary.name,
          ...(boundary.arn ? { policyArn: boundary.arn } : {}),
          ...role,
        }
      : { type: 'role-inline-policy', roleName: principal.name, ...role };
  }
  switch (resource.kind) {
    case 'key':
      return {
        type: 'key-policy',
        keyArn: resource.name,
        accountId: resource.accountId,
        ...(resource.region ? { region: resource.region } : {}),
      };
    case 'role':
      return {
        type: 'trust-policy',
        roleName: roleNameOf(resource.name),
        roleArn: resource.name,
        accountId: resource.accountId,
      };
    default:
      return { type: 'bucket-policy', bucket: resource.name, accountId: resource.accountId };
  }
};

/** "the bucket policy of phi-dr (account 222222222222)". */
export const describeTarget = (target: FixTarget): string => {
  switch (target.type) {
    case 'role-inline-policy':
      return `the inline policies of role ${target.roleName} (account ${target.accountId})`;
    case 'permissions-boundary':
      return `the permissions boundary ${target.policyName} of role ${roleNameOf(target.roleArn)} (account ${target.accountId})`;
    case 'bucket-policy':
      return `the bucket policy of ${target.bucket} (account ${target.accountId})`;
    case 'key-policy':
      return `the key policy of ${target.keyArn}`;
    case 'trust-policy':
      return `the trust policy of role ${target.roleName} (account ${target.accountId})`;
    case 'organization-policy':
      return `the ${target.kind === 'scp' ? 'SCPs' : 'RCPs'} attached to ${describeOrgTarget(target.target)}`;
  }
};

/**
 * What the Organization's administrators must decide about an SCP or RCP in the way (ReplGuard never edits
 * Organization policies): narrow or exempt the deny statements, or attach a policy that allows the actions.
 */
export const organizationDecision = (fix: Fix): string => {
  const t = fix.target;
  if (t.type !== 'organization-policy') return '';
  const kind = t.kind === 'scp' ? 'SCP' : 'RCP';
  const owner = `the Organization's administrators (management account ${t.managementAccountId || 'unknown'})`;
  const whom =
    t.kind === 'scp' ? `principals of account ${t.accountId}` : `resources of account ${t.accountId}`;
  if (fix.change === 'remove') {
    const refs = (fix.statements ?? []).map(describeRef).join(', ') || `a deny statement in ${fix.where}`;
    return `${refs} explicitly denies ${fix.actions.join(', ')} to ${fix.principal} (it restricts ${whom}): ${owner} must narrow it or exempt the replication (for example a condition on aws:PrincipalArn), or the account must move to an OU it does not apply to. ReplGuard never edits Organization policies.`;
  }
  return `No ${kind} attached to ${describeOrgTarget(t.target)} allows ${fix.actions.join(', ')} (every level of the Organization must allow it for ${whom}): ${owner} must attach one that does (FullAWSAccess${t.kind === 'rcp' ? ' for RCPs is RCPFullAWSAccess' : ''}). ReplGuard never edits Organization policies.`;
};

const defaultSid = (action: string): string =>
  `ReplGuard${action
    .split(':')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
    .replace(/[^A-Za-z0-9]/g, '')}`;

/** The statement that grants `request` on `side`. */
const grantStatement = (request: SimulationRequest, side: PolicySide): PolicyStatement => {
  const { principal, resource } = request;
  const sid = request.sid ?? defaultSid(request.action);
  const condition = request.grantCondition ? { Condition: request.grantCondition } : {};
  if (side !== PolicySide.ResourcePolicy)
    return {
      Sid: sid,
      Effect: 'Allow',
      Action: [request.action],
      Resource: resource.grant ?? resource.arn,
      ...condition,
    };
  const who: Record<string, string> = isServicePrincipal(principal)
    ? { Service: principal.service }
    : { AWS: principal.arn };
  if (resource.kind === 'role')
    return { Sid: sid, Effect: 'Allow', Principal: who, Action: [request.action], ...condition };
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: who,
    Action: [request.action],
    Resource: resource.kind === 'key' ? '*' : (resource.grant ?? resource.arn),
    ...condition,
  };
};

/** The fix for a denial of `request` on `side`: add a grant (implicit), or take the denies away (explicit). */
export const fixFor = (
  request: SimulationRequest,
  side: PolicySide,
  denial: Denial,
  statements: readonly StatementRef[],
): Fix => {
  const target = targetFor(request, side);
  const base = {
    side,
    actions: [request.action],
    principal: isServicePrincipal(request.principal) ? request.principal.service : request.principal.arn,
    target,
    where: describeTarget(target),
  };
  return denial === 'explicit'
    ? { ...base, change: 'remove', statements }
    : { ...base, change: 'add', statement: grantStatement(request, side) };
};

const union = <T>(items: readonly T[], key: (item: T) => string): T[] => {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
};

/** Fixes with the same target and the same statement shape merged into one (their actions joined). */
export const mergeFixes = (fixes: readonly Fix[]): Fix[] => {
  const groups = new Map<string, Fix[]>();
  for (const fix of fixes) {
    const { Sid: _sid, Action: _action, ...shape } = fix.statement ?? { Effect: 'Allow', Action: [] };
    const key = JSON.stringify([
      fix.change,
      fix.side,
      fix.target,
      fix.principal,
      fix.change === 'add' ? shape : null,
    ]);
    groups.set(key, [...(groups.get(key) ?? []), fix]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as Fix;
    const actions = union(
      group.flatMap((f) => f.actions),
      (a) => a,
    );
    if (first.change === 'remove')
      return {
        ...first,
        actions,
        statements: union(
          group.flatMap((f) => f.statements ?? []),
          (s) => `${s.policy}\u0000${s.sid}`,
        ),
      };
    return { ...first, actions, statement: { ...(first.statement as PolicyStatement), Action: actions } };
  });
};

/** One fix as a sentence: the statement (JSON) and where (the fix planner writes the command). */
export const renderFix = (fix: Fix, requests: readonly SimulationRequest[]): string => {
  if (fix.target.type === 'organization-policy') return organizationDecision(fix);
  if (fix.change === 'remove') {
    const refs = (fix.statements ?? []).map(describeRef).join(', ') || 'the deny statements';
    return `Remove or narrow ${refs} in ${fix.where}: ${fix.statements && fix.statements.length > 1 ? 'they deny' : 'it denies'} ${fix.actions.join(', ')} to ${fix.principal}.`;
  }
  void requests;
  return `Add to ${fix.where}: ${JSON.stringify(fix.statement)}.`;
};

/** Every fix, merged and numbered when there are several. */
export const renderFixes = (fixes: readonly Fix[], requests: readonly SimulationRequest[]): string => {
  const merged = mergeFixes(fixes);
  if (merged.length === 1) return renderFix(merged[0] as Fix, requests);
  return merged.map((fix, i) => `(${i + 1}) ${renderFix(fix, requests)}`).join(' ');
};
