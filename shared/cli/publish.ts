import type { ClientFactory } from '../aws/clientFactory.js';
import type { ScanReport } from '../engine/scan.js';
import { PublishError } from '../publish/errors.js';
import { publishResults, type PublishSummary } from '../publish/pipeline.js';

/** One line: `published: findings 2 new, 0 changed, 1 resolved, 13 unchanged; 3 messages sent to <topic>`. */
export const summaryLine = (summary: PublishSummary, topicArn: string | undefined): string => {
  const messages = topicArn
    ? `${summary.messagesSent} message${summary.messagesSent === 1 ? '' : 's'} sent to ${topicArn}`
    : 'no messages sent (no --topic-arn)';
  const suppressed = summary.suppressed
    ? ` (${summary.suppressed} suppressed in Security Hub, not alerted)`
    : '';
  return (
    `published: findings ${summary.new} new, ${summary.changed} changed, ${summary.resolved} resolved, ` +
    `${summary.unchanged} unchanged; ${messages}${suppressed}`
  );
};

/**
 * Publishes a scan's results through the findings pipeline (Security Hub, and SNS when a topic is
 * given); returns the summary line. Every successfully scanned bucket was evaluated completely, so its
 * ACTIVE findings that the scan no longer reports (a removed rule or destination) are resolved.
 */
export const publishScan = async (
  factory: ClientFactory,
  report: ScanReport,
  topicArn: string | undefined,
): Promise<string> => {
  const scanned = report.snapshots.map((s) => s.source.name);
  const regions = new Map<string, string>();
  for (const snapshot of report.snapshots) {
    for (const d of Object.values(snapshot.destinations))
      if (d.region.known) regions.set(d.name, d.region.value);
  }
  try {
    const summary = await publishResults(factory, report.results, {
      ...(topicArn ? { topicArn } : {}),
      ...(scanned.length ? { resolveMissingFor: { buckets: scanned } } : {}),
      regionOf: (bucket) => regions.get(bucket),
    });
    return summaryLine(summary, topicArn);
  } catch (error) {
    if (error instanceof PublishError && error.summary) {
      throw new PublishError(
        `${summaryLine(error.summary, topicArn)}; but ${error.message}`,
        error.code,
        error.failed,
        {
          cause: error,
          summary: error.summary,
        },
      );
    }
    throw error;
  }
};
