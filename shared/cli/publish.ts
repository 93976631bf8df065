import type { ClientFactory } from '../aws/clientFactory.js';
import type { ScanSession } from '../collect/session.js';
import { publishScan as publishOnPath, type ScanReport } from '../engine/scan.js';
import { PublishError, PublishErrorCode } from '../publish/errors.js';
import { emptySummary, type PublishSummary } from '../publish/pipeline.js';
import { type SinkLogger, sinksFor, type SinkSettings } from '../publish/sinks/index.js';

/** One line: `published: findings 2 new, 0 changed, 1 resolved, 13 unchanged; 3 messages sent to <topic>`. */
export const summaryLine = (summary: PublishSummary, settings: Partial<SinkSettings>): string => {
  const to = [
    ...(settings.topicArn ? [settings.topicArn] : []),
    ...(settings.chatTopicArn ? [settings.chatTopicArn] : []),
    ...(settings.pagerDutySecretArn ? ['PagerDuty'] : []),
  ];
  const messages = to.length
    ? `${summary.messagesSent} message${summary.messagesSent === 1 ? '' : 's'} sent to ${to.join(', ')}`
    : 'no messages sent (no --topic-arn, --chat-topic-arn or --pagerduty-secret-arn)';
  const suppressed = summary.suppressed
    ? ` (${summary.suppressed} suppressed in Security Hub, not alerted)`
    : '';
  return (
    `published: findings ${summary.new} new, ${summary.changed} changed, ${summary.resolved} resolved, ` +
    `${summary.unchanged} unchanged; ${messages}${suppressed}`
  );
};

/**
 * Publishes a scan's results through the sinks `settings` switch on (Security Hub, and the SNS topics
 * given), on the same path the functions take; returns the summary line. Every scanned bucket was
 * evaluated completely, so its ACTIVE findings that the scan no longer reports (a removed rule or
 * destination) are resolved.
 */
export const publishScan = async (
  session: ScanSession,
  factory: ClientFactory,
  report: ScanReport,
  settings: SinkSettings,
  logger?: SinkLogger,
): Promise<string> => {
  const publisher = {
    sinks: sinksFor(settings, { factory, ...(logger ? { logger } : {}) }),
    home: () => factory.homeAccountId(),
    region: factory.region,
  };
  const outcome = await publishOnPath(session, report, publisher);
  const line = summaryLine(outcome.summary ?? emptySummary(), settings);
  if (outcome.failed.length === 0) return line;
  const shown = outcome.failed
    .slice(0, 5)
    .map((f) => `${f.id} (${f.reason})`)
    .join('; ');
  throw new PublishError(
    `${line}; but publishing failed for ${outcome.failed.length} item(s) after retries: ${shown}`,
    PublishErrorCode.PartialFailure,
    outcome.failed,
    ...(outcome.summary ? [{ summary: outcome.summary }] : []),
  );
};
