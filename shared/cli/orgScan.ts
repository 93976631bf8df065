/**
 * `replguard scan --org`: the Organization's ACTIVE accounts (or `--accounts`), each scanned through the member
 * role, `--concurrency` accounts at a time, with a line of progress per account on stderr. Output as `scan`:
 * one result per rule, each with its account (`accountId`) and its account's proven fix steps.
 */
import { ClientFactory } from '../aws/clientFactory.js';
import { listActiveAccounts } from './organizations.js';
import { ScanSession } from '../collect/session.js';
import { scanOrganization } from '../engine/orgScan.js';
import type { RuleResult } from '../model/result.js';
import type { ScanArgs } from './args.js';
import type { Prepared } from './main.js';
import { toOcsf } from './ocsf.js';
import { resultJson, toTable } from './output.js';
import { toSarif } from './sarif.js';

const failing = (r: RuleResult) => r.status === 'NON_COMPLIANT' || r.status === 'UNKNOWN';

export const runOrgScan = async (
  args: ScanArgs & { readonly org: NonNullable<ScanArgs['org']> },
  { options, io, color }: Prepared,
  isFailing: (r: RuleResult) => boolean,
): Promise<number> => {
  const factory = new ClientFactory({
    ...options,
    crossAccountRoleName: args.parameters.crossAccountRoleName,
  });
  const accounts = args.org.accounts ?? (await listActiveAccounts(factory)).map((a) => a.id);
  if (!args.quiet) io.stderr(`replguard: scanning ${accounts.length} account(s) of the Organization\n`);
  const report = await scanOrganization(new ScanSession(factory, args.parameters), {
    accounts,
    concurrency: args.org.concurrency,
    ...(args.regions ? { regions: args.regions } : {}),
    onAccount: (accountId, done, total, results) => {
      if (!args.quiet) io.stderr(`replguard: [${done}/${total}] account ${accountId}: ${results} results\n`);
    },
  });
  for (const u of report.unreachable)
    io.stderr(`replguard: account ${u.accountId} could not be entered: ${u.reason}\n`);
  for (const e of report.errors) io.stderr(`replguard: ${e.bucket}: ${e.message}\n`);
  const shown = (rs: readonly RuleResult[]) => (args.quiet ? rs.filter(failing) : rs);
  const unreachable = report.results.filter((r) =>
    report.unreachable.some((u) => u.accountId === r.accountId),
  );
  if (args.format === 'json')
    io.stdout(
      `${JSON.stringify(
        {
          version: 1,
          results: [
            ...report.reports.flatMap((r) => shown(r.results).map((x) => resultJson(x, r.judged.plan.steps))),
            ...shown(unreachable).map((x) => resultJson(x)),
          ],
          ...(report.errors.length ? { errors: report.errors } : {}),
          accounts: { scanned: report.reports.map((r) => r.accountId), unreachable: report.unreachable },
        },
        null,
        2,
      )}\n`,
    );
  else if (args.format === 'sarif') io.stdout(`${JSON.stringify(toSarif(report.results), null, 2)}\n`);
  else if (args.format === 'ocsf') io.stdout(`${JSON.stringify(toOcsf(shown(report.results)), null, 2)}\n`);
  else io.stdout(`${toTable(report.results, { color, quiet: args.quiet })}\n`);
  if (report.errors.length > 0) return 2;
  return report.results.some(isFailing) ? 1 : 0;
};
