/**
 * `replguard fix`: scans, prints the proven plan (text, JSON or a bash script), and with `--apply` performs it
 * through the SDK after confirmation, logs every change, scans again and prints before and after.
 */
import { ClientFactory, type ClientFactoryOptions } from '../aws/clientFactory.js';
import { scanningFactory } from './factory.js';
import { ScanSession } from '../collect/session.js';
import { scan, type ScanReport } from '../engine/scan.js';
import { performStep } from '../fix/perform.js';
import type { Plan } from '../fix/planner.js';
import type { RuleResult } from '../model/result.js';
import { decisionsOf, planJson, planScript, planText } from './fixOutput.js';
import type { FixArgs } from './fixArgs.js';

export interface FixIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Asks a question on the terminal; absent when there is no terminal to ask on. */
  readonly ask?: (question: string) => Promise<string>;
}

const scanOnce = async (args: FixArgs, factory: ClientFactory): Promise<ScanReport> =>
  scan(new ScanSession(factory, args.parameters), { buckets: args.buckets, all: args.all });

const failingOf = (results: readonly RuleResult[]) => results.filter((r) => r.status === 'NON_COMPLIANT');

/** "3 failing: versioning_destination_enabled, tls_only_policy (phi-prod)". */
const tally = (results: readonly RuleResult[]): string => {
  const failing = failingOf(results);
  const ids = [...new Set(failing.map((r) => r.ruleId))].sort();
  return `${failing.length} failing${ids.length ? `: ${ids.join(', ')}` : ''}`;
};

/** What could not be read, one line each, from UNKNOWN results and scan errors. */
const unreadable = (report: ScanReport): string[] => [
  ...report.errors.map((e) => `${e.bucket}: ${e.message}`),
  ...[
    ...new Set(
      report.results
        .filter((r) => r.status === 'UNKNOWN')
        .map((r) => {
          const permission = r.details?.missingPermission;
          return `${r.bucket}${r.destinationBucket ? ` -> ${r.destinationBucket}` : ''}: ${r.message}${
            typeof permission === 'string' ? ` (needs ${permission})` : ''
          }`;
        }),
    ),
  ],
];

const apply = async (
  args: FixArgs,
  io: FixIo,
  factoryOptions: ClientFactoryOptions,
  factory: ClientFactory,
  plan: Plan,
): Promise<number> => {
  const home = await factory.homeAccountId();
  const others = [...new Set(plan.steps.map((s) => s.accountId).filter((a) => a !== home))];
  if (others.length > 0 && !args.adminRoleName) {
    io.stderr(
      `replguard: refusing to apply: steps ${plan.steps
        .filter((s) => s.accountId !== home)
        .map((s) => s.step)
        .join(
          ', ',
        )} act in account${others.length === 1 ? '' : 's'} ${others.join(', ')}, and these credentials are account ${home}'s. ` +
        `Run with credentials of ${others.length === 1 ? 'that account' : 'those accounts'} for their steps (replguard fix --format sh prints them), or give --admin-role-name NAME, a role ReplGuard may assume there with write permissions. Nothing was changed.\n`,
    );
    return 2;
  }
  if (!args.yes) {
    if (!io.ask) {
      io.stderr('replguard: --apply needs a terminal to confirm, or --yes. Nothing was changed.\n');
      return 2;
    }
    const answer = (await io.ask(`Apply these ${plan.steps.length} steps? [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      io.stderr('replguard: not applied.\n');
      return 1;
    }
  }
  const writer = new ClientFactory({
    ...factoryOptions,
    ...(args.region ? { region: args.region } : {}),
    ...(args.endpointUrl ? { endpointUrl: args.endpointUrl } : {}),
    ...(args.adminRoleName ? { crossAccountRoleName: args.adminRoleName } : {}),
  });
  for (const step of plan.internal) {
    const number = plan.internal.indexOf(step) + 1;
    const line = `step ${number}/${plan.internal.length} (account ${step.accountId}): ${step.summary}`;
    io.stderr(`replguard: ${new Date().toISOString()} applying ${line}\n`);
    try {
      await performStep(writer, step, (l) => io.stderr(`replguard: ${l}\n`));
      io.stderr(
        `replguard: ${new Date().toISOString()} applied step ${number}: ${step.operations.map((o) => `${o.service}:${o.name}`).join(', ')} on ${step.resourceArn}\n`,
      );
    } catch (error) {
      io.stderr(
        `replguard: step ${number} failed (${(error as Error).name}: ${(error as Error).message}); steps 1-${number - 1} were applied, the rest not.\n`,
      );
      return 1;
    }
  }
  return 0;
};

/** Runs `replguard fix`; returns the exit status. */
export const runFix = async (
  args: FixArgs,
  io: FixIo,
  factoryOptions: ClientFactoryOptions,
): Promise<number> => {
  const factory = scanningFactory(args, factoryOptions);
  const before = await scanOnce(args, factory);
  const plan = before.judged.plan;
  const missing = unreadable(before);
  const failing = failingOf(before.results);
  const target = args.all ? 'every in-scope bucket' : args.buckets.join(', ');
  if (failing.length === 0 && missing.length === 0) {
    io.stdout(
      args.format === 'json'
        ? `${planJson(plan, before.results)}\n`
        : args.format === 'sh'
          ? planScript(plan, before.results, target)
          : `Nothing to fix: every rule passes for ${target}.\n`,
    );
    return 0;
  }
  if (args.format === 'json') io.stdout(`${planJson(plan, before.results)}\n`);
  else if (args.format === 'sh') io.stdout(planScript(plan, before.results, target));
  else io.stdout(`${planText(plan, before.results)}\n`);
  if (missing.length > 0) {
    io.stderr(
      `replguard: could not read everything the plan depends on, so it may be incomplete:\n${missing.map((m) => `  ${m}`).join('\n')}\n`,
    );
    if (args.apply) io.stderr('replguard: not applied. Nothing was changed.\n');
    return 2;
  }
  if (!args.apply) return decisionsOf(before.results).length > 0 || plan.steps.length > 0 ? 1 : 0;
  if (plan.steps.length === 0) {
    io.stderr('replguard: nothing to apply: every remaining failure needs a decision (above).\n');
    return 1;
  }
  const applied = await apply(args, io, factoryOptions, factory, plan);
  if (applied !== 0) return applied;
  const after = await scanOnce(args, scanningFactory(args, factoryOptions));
  io.stdout(`\nbefore: ${tally(before.results)}\nafter:  ${tally(after.results)}\n`);
  return failingOf(after.results).length > 0 ? 1 : 0;
};
