import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import type { ClientFactory } from '../aws/clientFactory.js';
import { ServiceId } from '../aws/endpoint.js';
import { nextUpdatedAt } from '../findings/clock.js';
import { findingIdOf } from '../findings/identity.js';
import {
  DEFAULT_REFRESH_AFTER_MS,
  Outcome,
  planFindings,
  type PlannedFinding,
  type PreviousFinding,
  type ResolveScope,
} from '../findings/lifecycle.js';
import { redactionSettings, redactResult } from '../findings/redaction.js';
import type { RuleResult } from '../rules/types.js';
import { toAlertMessage, type AlertInput, type OutgoingMessage } from './alert.js';
import { toAsff } from './asff.js';
import { previousFromAsff, resultFromAsff } from './asffState.js';
import { toChatMessage } from './chat.js';
import { putEvaluations, type ConfigEvaluation } from './configEvaluations.js';
import { ConfigEvaluationsError, PublishError, PublishErrorCode, type FailedItem } from './errors.js';
import { productArn } from './links.js';
import { importFindings, readFindings, type SecurityHubTarget } from './securityHub.js';
import { sendMessages } from './sns.js';

export interface PublishOptions {
  /** Import findings into Security Hub and read the previous state from it (default true). */
  readonly securityHub?: boolean;
  /** SNS topic for one alert per transition. */
  readonly topicArn?: string;
  /** AWS Config PutEvaluations for a Config rule invocation. */
  readonly config?: { resultToken: string; orderingTimestamp: Date; evaluations: ConfigEvaluation[] };
  /** Replace object keys by a salted hash (default true; `REPLGUARD_REDACTION=off` switches it off). */
  readonly redactObjectKeys?: boolean;
  /** Redaction salt (else `REPLGUARD_REDACTION_SALT`, else derived from the account id). */
  readonly salt?: string;
  readonly now?: Date;
  /** Scope of a complete evaluation: ACTIVE findings in it that are absent from `results` are resolved. */
  readonly resolveMissingFor?: ResolveScope;
  /** Also send an AWS Chatbot custom notification per transition (a second message, attribute format=chat). */
  readonly chat?: boolean;
  /** Re-import an unchanged ACTIVE finding after this long (default one day), so it stays current and never expires. */
  readonly refreshAfterMs?: number;
  /** Region of a destination bucket (for its ASFF resource and console link), when the caller knows it. */
  readonly regionOf?: (bucket: string) => string | undefined;
}

export interface PublishSummary {
  new: number;
  changed: number;
  resolved: number;
  unchanged: number;
  messagesSent: number;
  /** Transitions of findings suppressed in Security Hub: published there, no alert sent. */
  suppressed: number;
  /** Findings written to Security Hub (transitions, content updates, refreshes). */
  imported: number;
  failed: { id: string; reason: string }[];
}

const emptySummary = (): PublishSummary => ({
  new: 0,
  changed: 0,
  resolved: 0,
  unchanged: 0,
  messagesSent: 0,
  suppressed: 0,
  imported: 0,
  failed: [],
});

interface Item extends PlannedFinding {
  readonly result: RuleResult;
  readonly updatedAt: string;
}

const missingReason = (scope: ResolveScope | undefined): string =>
  scope?.buckets
    ? 'a complete re-evaluation of the bucket no longer reports it: its replication rule, destination or condition is gone'
    : 'the latest evaluation of this rule no longer reports it';

const groupByRegion = (
  results: readonly RuleResult[],
  fallback: string,
  scoped: boolean,
): Map<string, RuleResult[]> => {
  const groups = new Map<string, RuleResult[]>();
  for (const r of results) groups.set(r.region, [...(groups.get(r.region) ?? []), r]);
  if (groups.size === 0 && scoped) groups.set(fallback, []);
  return groups;
};

/** Publishes one Region's results: read state, plan, alert, import. Adds to `summary`. */
const publishRegion = async (
  factory: ClientFactory,
  home: string,
  region: string,
  results: readonly RuleResult[],
  options: PublishOptions,
  summary: PublishSummary,
): Promise<void> => {
  const now = options.now ?? new Date();
  const hub: SecurityHubTarget | undefined =
    options.securityHub === false
      ? undefined
      : {
          client: factory.client(SecurityHubClient, ServiceId.SecurityHub, { region }),
          productArn: productArn(region, home),
          accountId: home,
          region,
        };
  const ids = [...new Set(results.map(findingIdOf))];
  const stored: Map<string, AwsSecurityFinding> = hub
    ? await readFindings(hub, ids, options.resolveMissingFor)
    : new Map<string, AwsSecurityFinding>();
  const previous = new Map<string, PreviousFinding>();
  for (const [id, record] of stored) {
    const prev = previousFromAsff(record);
    if (prev) previous.set(id, prev);
  }
  const plans = planFindings(results, previous, {
    now,
    refreshAfterMs: options.refreshAfterMs ?? DEFAULT_REFRESH_AFTER_MS,
    ...(options.resolveMissingFor ? { resolveMissingFor: options.resolveMissingFor } : {}),
  });
  const items: Item[] = plans.flatMap((p) => {
    const record = stored.get(p.id);
    const result =
      p.result ?? (record ? resultFromAsff(record, missingReason(options.resolveMissingFor)) : undefined);
    if (!result) return [];
    const updatedAt = p.write ? nextUpdatedAt(p.id, now, p.previous?.updatedAt) : now.toISOString();
    return [{ ...p, result, updatedAt }];
  });

  const blocked = new Set<string>();
  const alerting = items.filter((i) => i.transition !== null && !i.previous?.suppressed);
  summary.suppressed += items.filter((i) => i.transition !== null && i.previous?.suppressed).length;
  if (options.topicArn && alerting.length > 0) {
    const messages: OutgoingMessage[] = alerting.flatMap((i) => {
      const input: AlertInput = {
        findingId: i.id,
        transition: i.transition as NonNullable<Item['transition']>,
        result: i.result,
        ...(i.previous ? { previous: i.previous } : {}),
        timestamp: i.updatedAt,
        securityHub: hub !== undefined,
        ...(options.regionOf ? { regionOf: options.regionOf } : {}),
      };
      return options.chat ? [toAlertMessage(input), toChatMessage(input)] : [toAlertMessage(input)];
    });
    const topicRegion = options.topicArn.split(':')[3] || region;
    const sns = factory.client(SNSClient, ServiceId.SNS, { region: topicRegion });
    const out = await sendMessages(sns, options.topicArn, messages);
    summary.messagesSent += out.sent.length;
    summary.failed.push(...out.failed);
    for (const f of out.failed) blocked.add(f.id.slice(f.id.indexOf(':') + 1));
  }

  let notImported = new Set<string>();
  if (hub) {
    const writes = items
      .filter((i) => i.write && !blocked.has(i.id))
      .map((i) =>
        toAsff({
          id: i.id,
          result: i.result,
          productArn: hub.productArn,
          updatedAt: i.updatedAt,
          ...(i.previous ? { previous: i.previous } : {}),
          ...(options.regionOf ? { regionOf: options.regionOf } : {}),
        }),
      );
    const out = await importFindings(hub, writes);
    summary.imported += out.imported.length;
    summary.failed.push(...out.failed);
    notImported = new Set(out.failed.map((f) => f.id));
  }
  for (const i of items) {
    if (blocked.has(i.id) || notImported.has(i.id) || i.outcome === Outcome.None) continue;
    summary[i.outcome as Exclude<typeof i.outcome, 'none'>] += 1;
  }
};

/**
 * Publishes rule results: reads each finding's previous state back from Security Hub, computes
 * transitions, sends one SNS alert per transition (before importing, so a failed alert leaves the
 * state unchanged and is retried by the next publish), imports the findings, and sends Config
 * evaluations when asked. Object keys are redacted first. Throws PublishError: at once when Security
 * Hub is not enabled or not allowed; after everything else was attempted, with code PARTIAL_FAILURE,
 * `failed` and `summary`, when some findings, messages or evaluations still failed after retries.
 */
export const publishResults = async (
  factory: ClientFactory,
  results: readonly RuleResult[],
  options: PublishOptions,
): Promise<PublishSummary> => {
  const home = await factory.homeAccountId();
  const redaction = redactionSettings(options, home);
  const redacted = results.map((r) => redactResult(r, redaction));
  const summary = emptySummary();
  for (const [region, group] of groupByRegion(
    redacted,
    factory.region,
    options.resolveMissingFor !== undefined,
  )) {
    await publishRegion(factory, home, region, group, options, summary);
  }
  if (options.config) {
    try {
      await putEvaluations(factory, options.config.resultToken, options.config.evaluations);
    } catch (error) {
      if (!(error instanceof ConfigEvaluationsError)) throw error;
      summary.failed.push(
        ...error.failedResourceIds.map((b) => ({ id: `config:${b}`, reason: error.message })),
      );
    }
  }
  if (summary.failed.length > 0) throw partialFailure(summary);
  return summary;
};

const partialFailure = (summary: PublishSummary): PublishError => {
  const shown = summary.failed
    .slice(0, 5)
    .map((f) => `${f.id} (${f.reason})`)
    .join('; ');
  const more = summary.failed.length > 5 ? `; +${summary.failed.length - 5} more` : '';
  return new PublishError(
    `Publishing failed for ${summary.failed.length} item(s) after retries: ${shown}${more}`,
    PublishErrorCode.PartialFailure,
    summary.failed as FailedItem[],
    { summary },
  );
};
