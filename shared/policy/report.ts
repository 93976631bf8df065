/**
 * Verdicts in words, for rule results: which actions were denied, by which side and how, the fix, the
 * resources the cause lives in, and the structured verdicts for `details`.
 */
import type { ResourceRef } from '../model/result.js';
import { partitionOfArn } from '../model/partition.js';
import { describeOrgTarget } from '../model/organization.js';
import { describeRef } from './documents.js';
import { renderFixes } from './fix.js';
import { resourcePolicyName } from './sides.js';
import { simulate } from './simulate.js';
import { type Fix, isServicePrincipal, PolicySide, type SimulationRequest, type Verdict } from './types.js';

/** A request and its verdict. */
export interface Checked {
  readonly request: SimulationRequest;
  readonly verdict: Verdict;
}

/** Simulates every request (with `judge`, `simulate` by default). */
export const checkAll = (
  requests: readonly SimulationRequest[],
  judge: (request: SimulationRequest) => Verdict = simulate,
): Checked[] => requests.map((request) => ({ request, verdict: judge(request) }));

/** The denied ones. */
export const deniedOf = (checks: readonly Checked[]): Checked[] => checks.filter((c) => !c.verdict.allowed);

/** "the identity policies of role r", "the bucket policy of phi-dr", … */
const sideName = (request: SimulationRequest, side: PolicySide): string => {
  const { principal } = request;
  if (side === PolicySide.Identity && !isServicePrincipal(principal))
    return `the identity policies of role ${principal.name}`;
  if (side === PolicySide.Boundary && !isServicePrincipal(principal))
    return `the permissions boundary ${principal.permissionsBoundary?.name ?? ''} of role ${principal.name}`;
  if (side === PolicySide.Scp) return `the SCPs of account ${request.controls?.scp?.accountId ?? ''}`;
  if (side === PolicySide.Rcp) return `the RCPs of account ${request.controls?.rcp?.accountId ?? ''}`;
  return `the ${resourcePolicyName(request)}`;
};

/** Why one fix was needed: "explicitly denied by the bucket policy of phi-dr (bucket policy of phi-dr: DenyAll)". */
const explainFix = (request: SimulationRequest, fix: Fix): string => {
  if (fix.change === 'remove')
    return `explicitly denied by ${sideName(request, fix.side)} (${(fix.statements ?? []).map(describeRef).join(', ')})`;
  if (fix.target.type === 'organization-policy')
    return `not allowed by any ${fix.target.kind === 'scp' ? 'SCP' : 'RCP'} attached to ${describeOrgTarget(fix.target.target)} (implicit deny: every level of the Organization must allow it)`;
  if (fix.side === PolicySide.ResourcePolicy && !request.resource.policy)
    return `not granted: ${request.resource.name} has no ${{ bucket: 'bucket', key: 'key', role: 'trust' }[request.resource.kind]} policy (implicit deny)`;
  return `not granted by ${sideName(request, fix.side)} (implicit deny)`;
};

/** Why a denied request was denied, every blocking side named. */
export const explainDenial = (check: Checked): string =>
  check.verdict.fixes.map((fix) => explainFix(check.request, fix)).join(', and ');

/**
 * The denied actions grouped by resource and reason:
 * "s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::phi-dr/x: not granted by the bucket policy of phi-dr (implicit deny)".
 */
export const describeDenials = (checks: readonly Checked[]): string => {
  const groups = new Map<string, string[]>();
  for (const check of deniedOf(checks)) {
    const key = `${check.verdict.resource}: ${explainDenial(check)}`;
    groups.set(key, [...(groups.get(key) ?? []), check.verdict.action]);
  }
  return [...groups].map(([reason, actions]) => `${actions.join(', ')} on ${reason}`).join('; ');
};

/** The remediation of the denied checks: each statement to add (JSON) and where, or the denies to remove. */
export const remediationOf = (checks: readonly Checked[]): string =>
  renderFixes(
    deniedOf(checks).flatMap((c) => c.verdict.fixes),
    checks.map((c) => c.request),
  );

const resourceOfFix = (fix: Fix): ResourceRef[] => {
  const t = fix.target;
  switch (t.type) {
    case 'organization-policy':
      return []; // not a resource of the account: the decision names it
    case 'key-policy':
      return [{ type: 'AwsKmsKey', id: t.keyArn }];
    case 'bucket-policy':
      return [{ type: 'AwsS3Bucket', id: `arn:${partitionOfArn(fix.principal)}:s3:::${t.bucket}` }];
    default:
      return [{ type: 'AwsIamRole', id: t.roleArn }];
  }
};

/** The resources the causes live in (role, key, bucket), once each; `also` first. */
export const causeResources = (
  checks: readonly Checked[],
  also: readonly ResourceRef[] = [],
): ResourceRef[] => {
  const all = [...also, ...deniedOf(checks).flatMap((c) => c.verdict.fixes.flatMap(resourceOfFix))];
  return all.filter((r, i) => all.findIndex((o) => o.type === r.type && o.id === r.id) === i);
};

/** The verdicts, for a result's `details`. */
export const verdictDetails = (checks: readonly Checked[]): { verdicts: Verdict[] } => ({
  verdicts: checks.map((c) => c.verdict),
});
