/**
 * `replguard scan --org`: every in-scope bucket of every ACTIVE account of the Organization, each account read
 * through the member role (infra/member-account.yml). An account that cannot be entered becomes one UNKNOWN
 * result naming the role to deploy there, never an abort.
 */
import { AwsClientError } from '../aws/errors.js';
import type { ScanSession } from '../collect/session.js';
import { Hipaa, type RuleResult } from '../model/result.js';
import { mapLimit } from '../support/concurrency.js';
import { scan, type ScanError, type ScanOptions, type ScanReport } from './scan.js';

export interface OrgScanRequest {
  readonly accounts: readonly string[];
  readonly regions?: readonly string[];
  /** Accounts scanned at once (each scans its buckets with its own bounded concurrency). */
  readonly concurrency: number;
  /** Called after each account. */
  readonly onAccount?: (accountId: string, done: number, total: number, results: number) => void;
}

export interface OrgScanReport {
  readonly results: RuleResult[];
  readonly errors: ScanError[];
  /** One report per account that could be entered. */
  readonly reports: readonly ScanReport[];
  /** Accounts that could not be entered, with why. */
  readonly unreachable: readonly { readonly accountId: string; readonly reason: string }[];
}

/** The UNKNOWN result standing for an account that could not be entered. */
export const unreachableAccount = (
  accountId: string,
  roleArn: string,
  reason: string,
  region: string,
): RuleResult => ({
  ruleId: 'replication_configured',
  status: 'UNKNOWN',
  severity: 'HIGH',
  bucket: `(every bucket of account ${accountId})`,
  destinationBucket: null,
  replicationRuleId: null,
  message: `Could not read account ${accountId}: ${reason}. None of its buckets was judged.`,
  remediation: `Deploy ${roleArn} in account ${accountId} with infra/member-account.yml (a service-managed StackSet covers every account), trusting ReplGuard's account, then scan again.`,
  hipaa: [Hipaa.DataBackup, Hipaa.DisasterRecovery],
  accountId,
  region,
  details: { missingPermission: 'sts:AssumeRole', roleArn },
});

/** Why an account could not be entered (the error and the AWS error name behind it). */
export const reasonOf = (error: unknown): string => {
  const cause = error instanceof AwsClientError ? (error.cause as Error | undefined) : undefined;
  const base = (error as Error).message;
  return cause?.name ? `${base} (${cause.name})` : base;
};

export const scanOrganization = async (
  session: ScanSession,
  request: OrgScanRequest,
  options: ScanOptions = {},
): Promise<OrgScanReport> => {
  let done = 0;
  const outcomes = await mapLimit(request.accounts, request.concurrency, async (accountId) => {
    try {
      const report = await scan(
        session,
        { all: true, accountId, ...(request.regions ? { regions: request.regions } : {}) },
        options,
      );
      request.onAccount?.(accountId, ++done, request.accounts.length, report.results.length);
      return { accountId, report };
    } catch (error) {
      if (!(error instanceof AwsClientError && error.code === 'ASSUME_ROLE_FAILED')) throw error;
      request.onAccount?.(accountId, ++done, request.accounts.length, 0);
      return { accountId, reason: reasonOf(error) };
    }
  });
  const reports = outcomes.flatMap((o) => ('report' in o && o.report ? [o.report] : []));
  const unreachable = outcomes.flatMap((o) =>
    'reason' in o && o.reason ? [{ accountId: o.accountId, reason: o.reason }] : [],
  );
  return {
    results: [
      ...reports.flatMap((r) => r.results),
      ...unreachable.map((u) =>
        unreachableAccount(
          u.accountId,
          session.factory.roleArnIn(u.accountId),
          u.reason,
          session.factory.region,
        ),
      ),
    ],
    errors: reports.flatMap((r) => r.errors),
    reports,
    unreachable,
  };
};
