import type { RuleMetadata, RuleResult } from '../model/result.js';
import type { Snapshot } from '../model/snapshot.js';

export {
  Hipaa,
  SEVERITY_ORDER,
  Severity,
  Status,
  type HipaaCitation,
  type Remediation,
  type ResourceRef,
  type ResultException,
  type RuleMetadata,
  type RuleResult,
} from '../model/result.js';

/** A rule of the catalog: metadata beside pure logic. Its id equals its file name. */
export interface Rule extends RuleMetadata {
  /** The AWS read permissions the collectors need for this rule's data (least privilege is derived from these). */
  readonly permissions: readonly string[];
  readonly evaluate: (snapshot: Snapshot) => readonly RuleResult[];
}

/** Identity helper that keeps a rule's literal types and checks its shape. */
export const defineRule = (rule: Rule): Rule => rule;
