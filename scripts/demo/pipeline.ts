/**
 * The findings pipeline, end to end: a broken cross-account pair is scanned and published to Security Hub
 * and an SNS topic (read back from an SQS subscription); an identical re-run sends nothing; fixing the
 * problem resolves the finding with exactly one resolve alert.
 */
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { publishScan, scan } from '../../shared/engine/scan.js';
import { emptySummary, type PublishSummary } from '../../shared/publish/pipeline.js';
import { sinksFor } from '../../shared/publish/sinks/index.js';
import { enableSecurityHub, inbox } from '../../test/integration/publish/inbox.js';
import { scenario } from '../../test/scenarios/builder.js';
import type { DemoContext, DemoSection, SectionOutcome } from './context.js';
import { clip } from './format.js';

const counts = (s: PublishSummary): string =>
  `${s.new} new, ${s.changed} changed, ${s.resolved} resolved, ${s.unchanged} unchanged; ${s.messagesSent} SNS messages`;

export const runPipeline = async (context: DemoContext): Promise<SectionOutcome> => {
  const { out, style } = context;
  const env = await scenario(context.endpoint, { account: context.accountFor('pipeline') });
  const securityHub = await enableSecurityHub(env);
  const box = await inbox(env, 'demo');
  const path = await env.replicatedPair({
    name: 'phi-lab',
    crossAccount: true,
    crossRegion: true,
    kms: true,
    monitored: true,
    destinationVersioning: 'Suspended',
  });
  const publish = async (label: string) => {
    const session = env.session(); // a scan's reads are memoised per session: each scan gets a new one
    const report = await scan(session, { buckets: [path.source.name] });
    const { factory } = session;
    const sinks = sinksFor({ securityHub: true, topicArn: box.topicArn }, { factory });
    const publisher = { sinks, home: () => factory.homeAccountId(), region: factory.region };
    const summary = (await publishScan(session, report, publisher)).summary ?? emptySummary();
    const { envelope } = await box.drain();
    out(`  ${style.bold(label)}: ${counts(summary)}`);
    return { summary, alerts: envelope };
  };

  out(
    `  ${path.source.name} (${path.source.account}, ${path.source.region}) → ${path.destination.name} (${path.destination.account}, ${path.destination.region}), destination versioning Suspended`,
  );
  const first = await publish('first scan');
  for (const alert of first.alerts)
    out(`    SNS  ${alert.subject ?? ''}  [${alert.attributes.severity}/${alert.attributes.transition}]`);
  const finding = (await securityHub.send(new GetFindingsCommand({ MaxResults: 1 }))).Findings?.[0];
  if (finding) {
    out(`    Security Hub finding ${clip(finding.Id ?? '', 90)}`);
    out(`      ${finding.Severity?.Label} ${finding.Compliance?.Status} ${finding.Title}`);
    out(`      HIPAA: ${(finding.Compliance?.RelatedRequirements ?? []).join(', ')}`);
    out(`      fix: ${clip(finding.Remediation?.Recommendation?.Text ?? '', 150)}`);
  }
  const pagerDuty = first.alerts[0]?.body.pagerDuty as Record<string, unknown> | undefined;
  if (pagerDuty) out(`    PagerDuty event: ${clip(JSON.stringify(pagerDuty), 200)}`);

  const again = await publish('identical re-run');
  await env.clients(path.destination.account, path.destination.region).s3.send(
    new PutBucketVersioningCommand({
      Bucket: path.destination.name,
      VersioningConfiguration: { Status: 'Enabled' },
    }),
  );
  const fixed = await publish('after enabling destination versioning');
  for (const alert of fixed.alerts) out(`    SNS  ${alert.subject ?? ''}  [${alert.attributes.transition}]`);

  const errors =
    (first.summary.new > 0 ? 0 : 1) +
    (again.alerts.length === 0 ? 0 : 1) +
    (fixed.summary.resolved > 0 ? 0 : 1);
  if (errors) out(style.red('  the pipeline did not behave as expected (see the counts above)'));
  return {
    summary: `pipeline: ${first.summary.new} findings published, ${fixed.summary.resolved} resolved`,
    errors,
  };
};

export const pipelineSection: DemoSection = {
  title: 'Findings pipeline: Security Hub findings and SNS alerts (PagerDuty-ready), one per transition',
  run: runPipeline,
};
