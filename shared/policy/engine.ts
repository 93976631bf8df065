/**
 * The one place that calls the IAM simulator (@cloud-copilot/iam-simulate, AGPL-3.0-or-later).
 *
 * Rules are synchronous, and the simulator's validated entry point `runSimulation` is async (it looks up
 * action and context-key metadata), so this uses the synchronous `runUnsafeSimulation` and does the
 * validation `runSimulation` would do itself: every policy goes through iam-policy's validators first
 * (invalid → PolicyEvaluationError), and the request context is built by us (see context.ts) with the keys
 * S3 sends, so no key filtering is needed. A side effect: `runSimulation`'s context-key filter, which drops
 * `kms:EncryptionContext:*` keys (fixed at install time by scripts/patch-iam-simulate.mjs), is not on this
 * path at all; the core evaluator looks context keys up by name.
 *
 * Cost: each run re-parses the policies it is given (the simulator works from the raw documents), so what
 * can be done once is: validation and digests per document object, the request context per context
 * object, and iam-policy's condition-operator parsing per operator string (conditionOperators.ts).
 */
import {
  createValidatedPolicy,
  validateIdentityPolicy,
  validateResourceControlPolicy,
  validateResourcePolicy,
  validateServiceControlPolicy,
  validateTrustPolicy,
  type ValidatedPolicy,
} from '@cloud-copilot/iam-policy';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { createHash } from 'node:crypto';
import type { PolicyDocument } from '../model/snapshot.js';
import { memoiseConditionOperators } from './conditionOperators.js';
import { normaliseDocument } from './documents.js';
import { PolicyEvaluationError } from './errors.js';
import type { ContextValues, Decision } from './types.js';

/** A policy with the name results refer to it by. */
export interface NamedDocument {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** One request, with the policies that apply to it. */
export interface EngineRequest {
  /** Role session ARN, role ARN, or service principal (`s3.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly context: ContextValues;
  readonly identity: readonly NamedDocument[];
  readonly boundary?: readonly NamedDocument[];
  readonly resourcePolicy?: NamedDocument;
  /** How to validate the resource policy: a role's trust policy has rules of its own. */
  readonly resourcePolicyType?: 'resource' | 'trust';
  /** The SCPs of the principal's account, one entry per level of its Organization path (root first). */
  readonly scp?: readonly ControlLevelDocuments[];
  /** The RCPs of the resource's account, one entry per level (root first). */
  readonly rcp?: readonly ControlLevelDocuments[];
}

/** The SCPs or RCPs attached to one level of an Organization path (root, an OU, the account). */
export interface ControlLevelDocuments {
  /** The level's id (`r-…`, `ou-…`, the account id). */
  readonly level: string;
  readonly policies: readonly ControlDocument[];
}

/** An SCP or RCP; `awsManaged` for AWS's own (RCPFullAWSAccess allows, which a customer RCP may not). */
export interface ControlDocument extends NamedDocument {
  readonly awsManaged?: boolean;
}

memoiseConditionOperators();

type PolicyType = 'identity' | 'resource' | 'trust' | 'scp' | 'rcp';
const VALIDATORS = {
  identity: validateIdentityPolicy,
  resource: validateResourcePolicy,
  trust: validateTrustPolicy,
  scp: validateServiceControlPolicy,
  rcp: validateResourceControlPolicy,
} as const;
const TYPE_NAMES = {
  identity: 'IAM',
  resource: 'resource',
  trust: 'trust',
  scp: 'service control',
  rcp: 'resource control',
} as const;

const validatedCache = new WeakMap<PolicyDocument, Map<string, ValidatedPolicy<{ name: string }>>>();

/** The document validated as `type` (memoised per document object); invalid → PolicyEvaluationError. */
const validated = (named: NamedDocument, type: PolicyType): ValidatedPolicy<{ name: string }> => {
  const perDoc = validatedCache.get(named.document) ?? new Map<string, ValidatedPolicy<{ name: string }>>();
  validatedCache.set(named.document, perDoc);
  const cacheKey = `${type}\u0000${named.name}`;
  const cached = perDoc.get(cacheKey);
  if (cached) return cached;
  const policy = createValidatedPolicy(normaliseDocument(named.document), VALIDATORS[type], {
    name: named.name,
  });
  if (policy.errors.length > 0)
    throw new PolicyEvaluationError(
      `${named.name} is not a valid ${TYPE_NAMES[type]} policy: ${policy.errors
        .map((e) => `${e.path}: ${e.message}`)
        .join('; ')}`,
      'INVALID_POLICY',
      named.name,
    );
  perDoc.set(cacheKey, policy);
  return policy;
};

/** A digest of a document's JSON (memoised per document object), so memo keys stay small. */
const digestCache = new WeakMap<PolicyDocument, string>();
const docKey = (doc: PolicyDocument): string => {
  const cached = digestCache.get(doc);
  if (cached !== undefined) return cached;
  const digest = createHash('sha256').update(JSON.stringify(doc)).digest('base64url');
  digestCache.set(doc, digest);
  return digest;
};

/** A request context in the simulator's shape, with its memo-key part (both memoised per context object). */
interface PreparedContext {
  readonly key: string;
  readonly variables: Record<string, string | string[]>;
}
const contexts = new WeakMap<ContextValues, PreparedContext>();
const prepared = (context: ContextValues): PreparedContext => {
  let entry = contexts.get(context);
  if (!entry) {
    entry = {
      key: JSON.stringify(context),
      variables: Object.fromEntries(
        Object.entries(context).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]] as const),
      ),
    };
    contexts.set(context, entry);
  }
  return entry;
};

/** `"name":digest`: a policy in a memo key (a JSON string, then a base64url digest: unambiguous). */
const namedKey = (p: NamedDocument): string => `${JSON.stringify(p.name)}:${docKey(p.document)}`;
const listKey = (list: readonly NamedDocument[] | undefined): string =>
  list ? `[${list.map(namedKey).join(',')}]` : '-';
const controlsKey = (levels: readonly ControlLevelDocuments[] | undefined): string =>
  levels
    ? `{${levels.map((l) => `${JSON.stringify(l.level)}${listKey(l.policies)}${l.policies.map((p) => (p.awsManaged ? 'm' : 'c')).join('')}`).join(',')}}`
    : '-';

const MEMO_LIMIT = 10_000;
const memo = new Map<string, Decision>();

/**
 * The memo key of a request: every field, each part self-delimiting (JSON values, bracketed lists), so
 * different requests never share a key.
 */
const memoKey = (r: EngineRequest, context: PreparedContext): string =>
  `${JSON.stringify([r.principal, r.action, r.resource, r.resourceAccount])}${context.key}${listKey(
    r.identity,
  )}${listKey(r.boundary)}${
    r.resourcePolicy ? `${namedKey(r.resourcePolicy)}${JSON.stringify(r.resourcePolicyType ?? null)}` : '-'
  }${controlsKey(r.scp)}${controlsKey(r.rcp)}`;

/** Counters, for benchmarks and tests: simulator runs and memo hits since the last reset. */
export const engineStats = { runs: 0, hits: 0 };

/** Clears the memo and the counters. */
export const resetEngine = (): void => {
  memo.clear();
  engineStats.runs = 0;
  engineStats.hits = 0;
};

/**
 * The simulator's decision for one request (memoised: the same request with the same policies is
 * simulated once). Throws PolicyEvaluationError for an invalid policy or a simulator failure.
 */
export const decide = (request: EngineRequest): Decision => {
  const context = prepared(request.context);
  const key = memoKey(request, context);
  const hit = memo.get(key);
  if (hit !== undefined) {
    engineStats.hits++;
    return hit;
  }
  const identityPolicies = request.identity.map((p) => ({ name: p.name, policy: validated(p, 'identity') }));
  const permissionBoundaryPolicies = request.boundary?.map((p) => ({
    name: p.name,
    policy: validated(p, 'identity'),
  }));
  const resourcePolicy = request.resourcePolicy
    ? validated(request.resourcePolicy, request.resourcePolicyType ?? 'resource')
    : undefined;
  const controls = (levels: readonly ControlLevelDocuments[] | undefined, type: 'scp' | 'rcp') =>
    (levels ?? []).map((l) => ({
      orgIdentifier: l.level,
      // AWS's RCPFullAWSAccess is an Allow, which iam-policy's RCP validator (customer RCPs: Deny only) refuses.
      policies: l.policies.map((p) => ({
        name: p.name,
        policy: validated(p, type === 'rcp' && p.awsManaged ? 'resource' : type),
      })),
    }));
  const serviceControlPolicies = controls(request.scp, 'scp');
  const resourceControlPolicies = controls(request.rcp, 'rcp');
  let decision: Decision;
  try {
    decision = runUnsafeSimulation(
      {
        request: {
          principal: request.principal,
          action: request.action,
          resource: { resource: request.resource, accountId: request.resourceAccount },
          contextVariables: context.variables,
        },
        identityPolicies,
        serviceControlPolicies,
        resourceControlPolicies,
        ...(permissionBoundaryPolicies && permissionBoundaryPolicies.length > 0
          ? { permissionBoundaryPolicies }
          : {}),
        ...(resourcePolicy ? { resourcePolicy } : {}),
      },
      {},
    );
  } catch (error) {
    throw new PolicyEvaluationError(
      `The IAM simulator failed on ${request.action} ${request.resource}: ${(error as Error).message}`,
      'SIMULATION_FAILED',
      undefined,
      { cause: error },
    );
  }
  engineStats.runs++;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, decision);
  return decision;
};
