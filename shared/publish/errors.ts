/** Errors raised while publishing findings, alerts and Config evaluations. */
import type { PublishSummary } from './pipeline.js';

export const PublishErrorCode = {
  /** Security Hub is not enabled in the account and Region (`InvalidAccessException`). */
  SecurityHubNotEnabled: 'SECURITY_HUB_NOT_ENABLED',
  /** The member role of the findings' account cannot be assumed (not deployed, or not trusting ReplGuard). */
  MemberRoleUnavailable: 'MEMBER_ROLE_UNAVAILABLE',
  /** The caller may not call a publishing API. */
  AccessDenied: 'ACCESS_DENIED',
  /** Previous finding state could not be read, so transitions cannot be computed. */
  StateUnreadable: 'STATE_UNREADABLE',
  /** Some findings, alerts or evaluations still failed after retries (`failed` names them). */
  PartialFailure: 'PARTIAL_FAILURE',
  /** The PagerDuty routing key secret cannot be read (missing, not allowed). */
  PagerDutyKeyUnreadable: 'PAGERDUTY_KEY_UNREADABLE',
  /** The secret does not hold a routing key. */
  PagerDutyKeyInvalid: 'PAGERDUTY_KEY_INVALID',
} as const;
export type PublishErrorCode = (typeof PublishErrorCode)[keyof typeof PublishErrorCode];

/** One thing that was not published, and why. */
export interface FailedItem {
  /** Finding id, `alert:<finding id>`, or `config:<bucket>`. */
  readonly id: string;
  readonly reason: string;
}

export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    message: string,
    readonly code: PublishErrorCode,
    readonly failed: readonly FailedItem[] = [],
    options?: { cause?: unknown; summary?: PublishSummary },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.summary = options?.summary;
  }
  /** What did get published, when the error is a partial failure. */
  readonly summary: PublishSummary | undefined;
}

/** PutEvaluations failed for some evaluations (after one retry) or as a whole. */
export class ConfigEvaluationsError extends Error {
  override readonly name = 'ConfigEvaluationsError';
  readonly code = 'PUT_EVALUATIONS_FAILED';
  constructor(
    message: string,
    /** The `ComplianceResourceId`s (bucket names) whose evaluations were not accepted. */
    readonly failedResourceIds: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
