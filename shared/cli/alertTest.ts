/**
 * `replguard alert test`: a clearly labelled synthetic finding sent through every configured alert sink (and
 * Security Hub with `--security-hub`), then resolved; it prints what each sink answered and succeeds only when
 * every sink accepted both. On-call can prove the whole route (SNS, chat, PagerDuty) before it matters.
 */
import type { ClientFactory } from '../aws/clientFactory.js';
import { findingIdOf } from '../findings/identity.js';
import type { RuleResult, Severity } from '../model/result.js';
import { publishResults, type PreviousState, type PublishSummary, stateKey } from '../publish/pipeline.js';
import { SINKS, type SinkLogger, type SinkSettings, sinksFor } from '../publish/sinks/index.js';
import { listOf, sinkSettingsFromEnv } from '../runtime/config.js';
import { TEST_ALERT } from '../publish/ruleText.js';
import { UsageError } from './errors.js';
import {
  arnKindOf,
  checkArn,
  checkSeverities,
  COMMON_HELP,
  COMMON_OPTIONS,
  commonArgsOf,
  type CommonArgs,
  parseOptions,
} from './flags.js';

export const ALERT_TEST_HELP = `Usage: replguard alert test [--topic-arn ARN] [--chat-topic-arn ARN] [--pagerduty-secret-arn ARN] [options]

Sends a clearly labelled synthetic finding (CRITICAL, bucket replguard-test-alert) through every configured
sink, then resolves it, and prints what each sink answered. Exit 0 only when every sink accepted both.
Sinks come from the flags and from their REPLGUARD_* environment variables (REPLGUARD_FINDINGS_TOPIC_ARN,
REPLGUARD_CHAT_TOPIC_ARN, REPLGUARD_PAGERDUTY_SECRET_ARN, ...), as in the functions.

Options:
${SINKS.flatMap((d) => d.settings ?? [])
  .filter((s) => s.flag)
  .map((s) => `  --${`${s.flag} ${s.kind === 'list' ? 'LIST' : 'ARN'}`.padEnd(27)}${s.help}`)
  .join('\n')}
  --security-hub               also import the test finding into Security Hub (then archive it)
${COMMON_HELP}`;

export interface AlertTestArgs extends CommonArgs {
  readonly sinks: Partial<SinkSettings>;
  readonly securityHub: boolean;
}

const FLAGS = SINKS.flatMap((d) => (d.settings ?? []).filter((s) => s.flag));

/** Parses `replguard alert test` arguments (after `alert test`). */
export const parseAlertTestArgs = (argv: readonly string[]): AlertTestArgs | 'help' => {
  const values = parseOptions(
    argv,
    {
      ...COMMON_OPTIONS,
      ...Object.fromEntries(FLAGS.map((f) => [f.flag as string, { type: 'string' as const }])),
      'security-hub': { type: 'boolean', default: false },
    },
    'alert test',
  ) as Record<string, string | boolean | undefined>;
  if (values.help) return 'help';
  const sinks: Record<string, string | string[]> = {};
  for (const f of FLAGS) {
    const given = values[f.flag as string];
    if (typeof given !== 'string') continue;
    const flag = `--${f.flag}`;
    const kind = arnKindOf(f.flag as string);
    if (f.kind === 'list')
      sinks[f.key] = /severities$/.test(flag) ? checkSeverities(flag, listOf(given)) : listOf(given);
    else sinks[f.key] = kind ? checkArn(flag, given, kind) : given;
  }
  return {
    ...commonArgsOf(values as Parameters<typeof commonArgsOf>[0]),
    sinks: sinks as Partial<SinkSettings>,
    securityHub: values['security-hub'] === true,
  };
};

/** The synthetic finding: unmistakably a test, unique per run (its own incident), CRITICAL so it pages. */
export const testFinding = (
  accountId: string,
  region: string,
  severity: Severity,
  now: Date,
): RuleResult => ({
  ruleId: TEST_ALERT.id,
  status: 'NON_COMPLIANT',
  severity,
  bucket: 'replguard-test-alert',
  destinationBucket: null,
  replicationRuleId: `test-${now.toISOString()}`,
  message:
    'ReplGuard TEST ALERT - not a real finding. It checks that alerts reach on-call; ReplGuard resolves it right away.',
  remediation: 'Nothing to fix: this was sent by `replguard alert test`.',
  hipaa: ['164.308(a)(6)(ii)'],
  accountId,
  region,
});

/** One line per sink and step: "trigger  pagerDuty    accepted trigger: HTTP 202: success: Event processed (1 attempt)". */
const lines = (
  step: string,
  summary: PublishSummary | undefined,
  failed: readonly { id: string; reason: string }[],
) =>
  summary
    ? [
        // A sink that reports its answers (PagerDuty) is shown by them; the others by what they sent.
        ...Object.entries(summary.sinks)
          .filter(([sink]) => !summary.answers.some((a) => a.sink === sink))
          .map(([sink, n]) => `${step.padEnd(8)} ${sink.padEnd(12)} ${n > 0 ? 'accepted' : 'not sent'}`),
        ...summary.answers.map(
          (a) =>
            `${step.padEnd(8)} ${a.sink.padEnd(12)} ${a.accepted ? 'accepted' : 'REFUSED '} ${a.action}: ${a.detail}`,
        ),
        ...failed.map(
          (f) => `${step.padEnd(8)} ${(f.id.split(':')[0] ?? '').padEnd(12)} FAILED   ${f.reason}`,
        ),
      ]
    : [];

/**
 * Runs the test: the finding new, then resolved. Without a state sink the previous state is the test's own
 * (the finding as just sent), so the resolve is a real transition for every alert sink.
 */
export const runAlertTest = async (
  args: AlertTestArgs,
  factory: ClientFactory,
  out: (line: string) => void,
  logger?: SinkLogger,
): Promise<number> => {
  const settings: SinkSettings = { ...sinkSettingsFromEnv(), ...args.sinks, securityHub: args.securityHub };
  const sinks = sinksFor(settings, { factory, ...(logger ? { logger } : {}) }).filter(
    (s) => s.role !== 'evaluation',
  );
  if (sinks.length === 0)
    throw new UsageError(
      'no sink to test: give --topic-arn, --chat-topic-arn, --pagerduty-secret-arn or --security-hub (or their REPLGUARD_* variables)',
    );
  const publisher = { sinks, home: () => factory.homeAccountId(), region: factory.region };
  const now = new Date();
  const paging = settings.pagerDutySeverities?.length ? settings.pagerDutySeverities : ['CRITICAL'];
  const severity = (paging.includes('CRITICAL') ? 'CRITICAL' : paging[0]) as Severity;
  const finding = testFinding(await factory.homeAccountId(), factory.region, severity, now);
  out(`Sending test finding ${findingIdOf(finding)} through: ${sinks.map((s) => s.name).join(', ')}`);
  const send = async (step: string, result: RuleResult, at: Date, state?: PreviousState) => {
    try {
      const summary = await publishResults(publisher, {
        results: [result],
        now: at,
        ...(state ? { state } : {}),
      });
      for (const l of lines(step, summary, [])) out(l);
      return { summary, ok: true };
    } catch (error) {
      const e = error as Error & { summary?: PublishSummary; failed?: { id: string; reason: string }[] };
      for (const l of lines(step, e.summary, e.failed ?? [])) out(l);
      if (!e.summary) out(`${step.padEnd(8)} ${e.message}`);
      return { summary: e.summary, ok: false };
    }
  };
  const first = await send('trigger', finding, now);
  const id = findingIdOf(finding);
  const resolvedAt = new Date(now.getTime() + 1000);
  const previous: PreviousState = new Map([
    [
      stateKey(finding.accountId, finding.region),
      new Map([
        [
          id,
          {
            previous: {
              id,
              state: 'ACTIVE' as const,
              status: 'NON_COMPLIANT' as const,
              severity,
              suppressed: false,
              updatedAt: now.toISOString(),
            },
            rebuild: () => finding,
          },
        ],
      ]),
    ],
  ]);
  const resolved = {
    ...finding,
    status: 'COMPLIANT' as const,
    message: 'ReplGuard TEST ALERT resolved.',
    remediation: '',
  };
  const second = await send('resolve', resolved, resolvedAt, settings.securityHub ? undefined : previous);
  const alertSinks = sinks.filter((s) => s.role === 'alert').map((s) => s.name);
  const everyone = (summary: PublishSummary | undefined) =>
    alertSinks.every((name) => (summary?.sinks[name] ?? 0) > 0) &&
    (!settings.securityHub || (summary?.sinks.securityHub ?? 0) > 0);
  const ok = first.ok && second.ok && everyone(first.summary) && everyone(second.summary);
  out(
    ok
      ? 'Every sink accepted the test alert and its resolution.'
      : 'Some sink did not accept the test alert or its resolution (see above).',
  );
  return ok ? 0 : 1;
};
