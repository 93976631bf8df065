import type { OrgTarget } from '../model/organization.js';
import type { PolicyDocument, RoleInfo } from '../model/snapshot.js';

/** Request context values (`aws:SecureTransport`, `kms:ViaService`, …); multi-valued keys as arrays. */
export type ContextValues = Readonly<Record<string, string | readonly string[]>>;

/** A policy condition block: operator → key → value(s). */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** A policy statement as ReplGuard writes it in a fix. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: PolicyCondition;
}

/** An AWS service acting as the principal (S3 assuming the replication role). */
export interface ServicePrincipal {
  readonly service: string;
}

/**
 * The replication role, evaluated as a session of it (S3 assumes it). Its policies may be absent when
 * only a resource policy is judged (`simulateResourcePolicy`); a `RoleInfo` is one.
 */
export type RolePrincipal = Pick<RoleInfo, 'arn' | 'name' | 'accountId'> &
  Partial<Pick<RoleInfo, 'inlinePolicies' | 'managedPolicies' | 'permissionsBoundary'>>;

/** Who makes the request: the replication role (its session), or a service. */
export type Principal = RolePrincipal | ServicePrincipal;

/** What owns the resource policy of the resource under test. */
export const ResourceKind = {
  /** A bucket and its bucket policy. */
  Bucket: 'bucket',
  /** A KMS key and its key policy. */
  Key: 'key',
  /** An IAM role and its trust policy. */
  Role: 'role',
} as const;
export type ResourceKind = (typeof ResourceKind)[keyof typeof ResourceKind];

/** The resource a request is evaluated on. */
export interface TargetResource {
  readonly kind: ResourceKind;
  /** The ARN evaluated: a sample object ARN for object actions, else the bucket, key or role ARN. */
  readonly arn: string;
  /** The account that owns it. */
  readonly accountId: string;
  /** Bucket name, key ARN or role ARN, as messages and fixes name it. */
  readonly name: string;
  /** Region of a key (for commands). */
  readonly region?: string;
  /** Its resource policy (bucket policy, key policy, trust policy); `null` when it has none. */
  readonly policy: PolicyDocument | null;
  /** The `Resource` a fix statement grants (e.g. `arn:aws:s3:::phi-dr/*`); defaults to `arn` (`*` in key policies). */
  readonly grant?: string;
  /** An AWS managed KMS key (RCPs do not apply to it). */
  readonly awsManaged?: boolean;
}

/** One request to evaluate, as S3 would make it while replicating. */
export interface SimulationRequest {
  readonly principal: Principal;
  readonly action: string;
  readonly resource: TargetResource;
  readonly context: ContextValues;
  /** The condition a statement granting this request should carry (KMS: ViaService and encryption context). */
  readonly grantCondition?: PolicyCondition;
  /** Sid of a statement granting it (default `ReplGuard` + the action name). */
  readonly sid?: string;
  /** The Organization policies that apply (shared/policy/organization.ts); none when absent. */
  readonly controls?: Controls;
}

/** An SCP or RCP, named as results refer to it. */
export interface ControlPolicy {
  readonly id: string;
  readonly name: string;
  readonly document: PolicyDocument;
}

/** The SCPs or RCPs attached to one level of an account's Organization path. */
export interface ControlLevel {
  readonly target: OrgTarget;
  readonly policies: readonly ControlPolicy[];
}

/** The Organization policies of a request: SCPs of the principal's account, RCPs of the resource's (root first). */
export interface Controls {
  readonly scp?: ControlPaths;
  readonly rcp?: ControlPaths;
}

/** The levels of one account's path, with the account they belong to. */
export interface ControlPaths {
  readonly accountId: string;
  readonly managementAccountId: string;
  readonly levels: readonly ControlLevel[];
}

/** Where a decision is made. */
export const PolicySide = {
  Identity: 'identity',
  Boundary: 'boundary',
  ResourcePolicy: 'resource-policy',
  /** The service control policies of the principal's account. */
  Scp: 'scp',
  /** The resource control policies of the resource's account. */
  Rcp: 'rcp',
} as const;
export type PolicySide = (typeof PolicySide)[keyof typeof PolicySide];

export type Denial = 'explicit' | 'implicit';

/** The IAM simulator's decision. */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** A statement of a policy: the policy's name and the statement's Sid (or `#n`, 1-based, without one). */
export interface StatementRef {
  readonly policy: string;
  readonly sid: string;
}

/** How one side (identity policies, boundary, resource policy) judges the request on its own. */
export interface SideVerdict {
  /** `NoPolicy` when there is no such policy (no boundary, no bucket policy). */
  readonly decision: Decision | 'NoPolicy';
  /** Resource policies: whether the grant names the principal itself or trusts its whole account (IAM decides). */
  readonly grant?: 'direct' | 'account';
  /** The statements that allowed (Allowed) or denied (ExplicitlyDenied). */
  readonly statements: readonly StatementRef[];
}

/** Where a fix goes, precisely enough to build the command that applies it. */
export type FixTarget =
  | {
      readonly type: 'role-inline-policy';
      readonly roleName: string;
      readonly roleArn: string;
      readonly accountId: string;
    }
  | {
      readonly type: 'permissions-boundary';
      readonly policyArn?: string;
      readonly policyName: string;
      readonly roleArn: string;
      readonly accountId: string;
    }
  | { readonly type: 'bucket-policy'; readonly bucket: string; readonly accountId: string }
  | {
      readonly type: 'key-policy';
      readonly keyArn: string;
      readonly region?: string;
      readonly accountId: string;
    }
  | {
      readonly type: 'trust-policy';
      readonly roleName: string;
      readonly roleArn: string;
      readonly accountId: string;
    }
  | {
      /** SCPs or RCPs attached to one level of an Organization (ReplGuard never edits them: a decision). */
      readonly type: 'organization-policy';
      readonly kind: 'scp' | 'rcp';
      readonly target: OrgTarget;
      /** The account whose principals (SCP) or resources (RCP) it restricts. */
      readonly accountId: string;
      readonly managementAccountId: string;
    };

/** What would make a denied request pass: a statement to add, or deny statements to remove or narrow. */
export interface Fix {
  readonly change: 'add' | 'remove';
  readonly side: PolicySide;
  /** The actions it is about. */
  readonly actions: readonly string[];
  /** The principal it is about (role ARN or service). */
  readonly principal: string;
  readonly target: FixTarget;
  /** "the inline policies of role phi-replication (account 111111111111)". */
  readonly where: string;
  /** The statement to add (`change: 'add'`). */
  readonly statement?: PolicyStatement;
  /** The deny statements in the way (`change: 'remove'`). */
  readonly statements?: readonly StatementRef[];
}

/** The outcome of one simulated request, with where it was decided and how to fix it. */
export interface Verdict {
  readonly allowed: boolean;
  readonly action: string;
  /** The principal evaluated: the role ARN or the service. */
  readonly principal: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly sameAccount: boolean;
  readonly deniedBy?: PolicySide;
  readonly denial?: Denial;
  /** The deciding statements: the explicit denies, or the statements that granted the request. */
  readonly statements?: readonly StatementRef[];
  readonly sides: {
    readonly identity?: SideVerdict;
    readonly boundary?: SideVerdict;
    readonly resourcePolicy?: SideVerdict;
    /** The SCPs, when they apply to the principal. */
    readonly scp?: SideVerdict;
    /** The RCPs, when they apply to the resource. */
    readonly rcp?: SideVerdict;
  };
  /** What would let the request through, the blocking side first (empty when allowed). */
  readonly fixes: readonly Fix[];
}

/** True for a service principal, false for a role. */
export const isServicePrincipal = (principal: Principal): principal is ServicePrincipal =>
  'service' in principal;
