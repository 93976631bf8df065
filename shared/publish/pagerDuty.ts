import type { Transition } from '../findings/lifecycle.js';
import type { RuleResult, Severity } from '../model/result.js';
import { truncate } from './text.js';

/** PagerDuty Events API v2 severities. */
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

const SEVERITY_MAP: Readonly<Record<Severity, PagerDutySeverity>> = {
  CRITICAL: 'critical',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'info',
  INFORMATIONAL: 'info',
};

export const pagerDutySeverity = (severity: Severity): PagerDutySeverity => SEVERITY_MAP[severity];

export interface PagerDutyLink {
  readonly href: string;
  readonly text: string;
}

/**
 * A PagerDuty Events API v2 event without `routing_key` (the forwarder adds it). `dedup_key` is the
 * finding id, so the resolve event closes the incident the trigger opened.
 */
export interface PagerDutyEvent {
  readonly event_action: 'trigger' | 'resolve';
  readonly dedup_key: string;
  readonly payload: {
    readonly summary: string;
    readonly source: string;
    readonly severity: PagerDutySeverity;
    readonly timestamp: string;
    readonly component: string;
    readonly group: string;
    readonly class: string;
    readonly custom_details: Readonly<Record<string, unknown>>;
  };
  readonly links: readonly PagerDutyLink[];
  readonly client: string;
  readonly client_url?: string;
}

export const PagerDutyLimits = { dedupKey: 255, summary: 1024 } as const;

export interface PagerDutyInput {
  readonly findingId: string;
  readonly transition: Transition;
  readonly result: RuleResult;
  readonly subject: string;
  /** The affected system: the source bucket's ARN. */
  readonly source: string;
  readonly timestamp: string;
  readonly links: readonly PagerDutyLink[];
  readonly customDetails: Readonly<Record<string, unknown>>;
}

/** The PagerDuty event for one transition: trigger for new and changed, resolve for resolved. */
export const toPagerDutyEvent = (input: PagerDutyInput): PagerDutyEvent => {
  const { result } = input;
  const first = input.links[0];
  return {
    event_action: input.transition === 'resolved' ? 'resolve' : 'trigger',
    dedup_key: input.findingId.slice(0, PagerDutyLimits.dedupKey),
    payload: {
      summary: truncate(`${input.subject} - ${result.message}`, PagerDutyLimits.summary),
      source: input.source,
      severity: pagerDutySeverity(result.severity),
      timestamp: input.timestamp,
      component: result.destinationBucket ?? result.bucket,
      group: `${result.accountId}/${result.region}`,
      class: result.ruleId,
      custom_details: input.customDetails,
    },
    links: input.links,
    client: 'ReplGuard',
    ...(first ? { client_url: first.href } : {}),
  };
};
