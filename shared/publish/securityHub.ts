import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { AwsClientError, awsErrorCode, isAccessDenied } from '../aws/errors.js';
import { inResolveScope, type ResolveScope } from '../findings/lifecycle.js';
import { previousFromAsff } from './asffState.js';
import { bucketArn } from './links.js';
import { batchBy, jsonBytes } from './batching.js';
import { PublishError, PublishErrorCode, type FailedItem } from './errors.js';
import { backoffMs, realTimer, sharedBucket, type Timer, type TokenBucket } from './throttle.js';

/** BatchImportFindings: 100 findings and 6 MB a request (decimal MB, to be safe). */
export const IMPORT_BATCH = { maxCount: 100, maxBytes: 6_000_000, overheadBytes: 64 } as const;
/** GetFindings accepts at most 20 values per filter attribute. */
const FILTER_VALUES = 20;
const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'LimitExceededException',
  'Throttling',
]);

export interface SecurityHubTarget {
  readonly client: SecurityHubClient;
  readonly productArn: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * The member role the client acts through, when the findings belong to another account than ReplGuard's own
   * (imported in the resource owner's account: BatchImportFindings with the default product ARN only accepts
   * findings of the calling account). Failures then name the member template to deploy or update.
   */
  readonly via?: string;
  /**
   * Rate limits, as rate + burst ≤ the AWS quota so no rolling second ever exceeds it: imports 8/s with
   * bursts of 2 (AWS: 10/s, burst 30), reads 2/s with bursts of 1 (AWS GetFindings: 3/s, burst 6).
   */
  readonly importLimiter?: TokenBucket;
  readonly readLimiter?: TokenBucket;
  readonly timer?: Timer;
}

const importLimiterOf = (t: SecurityHubTarget): TokenBucket =>
  t.importLimiter ?? sharedBucket(`securityhub:import:${t.accountId}:${t.region}`, 8, 2);
const readLimiterOf = (t: SecurityHubTarget): TokenBucket =>
  t.readLimiter ?? sharedBucket(`securityhub:read:${t.accountId}:${t.region}`, 2, 1);

/** Turns errors that no retry fixes into a PublishError naming the fix; returns undefined for the rest. */
export const fatalSecurityHubError = (
  error: unknown,
  operation: string,
  t: SecurityHubTarget,
): PublishError | undefined => {
  const code = awsErrorCode(error);
  const where = `account ${t.accountId} Region ${t.region}`;
  if (error instanceof AwsClientError && error.code === 'ASSUME_ROLE_FAILED')
    return new PublishError(
      `Cannot reach Security Hub in ${where}: the member role ${t.via ?? 'of that account'} could not be assumed ` +
        `(${awsErrorCode(error.cause) ?? 'error'}). Deploy or update the member template (infra/member-account.yml) ` +
        `in account ${t.accountId}; its findings are not imported anywhere else.`,
      PublishErrorCode.MemberRoleUnavailable,
      [],
      { cause: error },
    );
  if (code === 'InvalidAccessException')
    return new PublishError(
      `Security Hub is not enabled in ${where} (${operation}: InvalidAccessException). ` +
        (t.via
          ? `Enable it in that account and Region (as the member account: \`aws securityhub enable-security-hub --region ${t.region}\`, ` +
            `or from the Security Hub delegated administrator with auto-enable or central configuration).`
          : `Enable it with \`aws securityhub enable-security-hub --region ${t.region}\`, or publish without Security Hub.`),
      PublishErrorCode.SecurityHubNotEnabled,
      [],
      { cause: error },
    );
  if (isAccessDenied(error))
    return new PublishError(
      t.via
        ? `Not allowed to call securityhub:${operation} in ${where} through the member role ${t.via}: ` +
            `update the member template (infra/member-account.yml, policy replguard-findings) in account ${t.accountId}.`
        : `Not allowed to call securityhub:${operation} in ${where}: grant it to the role that publishes.`,
      PublishErrorCode.AccessDenied,
      [],
      { cause: error },
    );
  return undefined;
};

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/**
 * Pages through GetFindings for `filters`, handing every record to `keep` (which filters client-side, so
 * this is correct whether or not the service honours the filters). Returns true when the service
 * returned a record the filters exclude: it ignored them, so the listing was everything there is.
 */
const query = async (
  t: SecurityHubTarget,
  filters: AwsSecurityFindingFilters,
  expected: (f: AwsSecurityFinding) => boolean,
  keep: (f: AwsSecurityFinding) => void,
): Promise<boolean> => {
  let complete = false;
  let token: string | undefined;
  do {
    await readLimiterOf(t).take();
    let page;
    try {
      page = await t.client.send(
        new GetFindingsCommand({ Filters: filters, MaxResults: 100, ...(token ? { NextToken: token } : {}) }),
      );
    } catch (error) {
      throw (
        fatalSecurityHubError(error, 'GetFindings', t) ??
        new PublishError(
          `Could not read previous findings from Security Hub in ${t.region}: ${(error as Error).message}`,
          PublishErrorCode.StateUnreadable,
          [],
          { cause: error },
        )
      );
    }
    for (const f of page.Findings ?? []) {
      keep(f);
      if (!expected(f)) complete = true;
    }
    token = page.NextToken || undefined;
  } while (token);
  return complete;
};

const ours = (t: SecurityHubTarget, f: AwsSecurityFinding): boolean =>
  f.ProductArn === t.productArn && (f.GeneratorId ?? '').startsWith('replguard/');

const equalsAny = (values: readonly string[]) =>
  values.map((Value) => ({ Value, Comparison: 'EQUALS' as const }));

/** What to read: findings by id (with the source buckets they are about), and ACTIVE ones inside a scope. */
export interface FindingsWanted {
  readonly ids: readonly string[];
  /** The source buckets of `ids`. */
  readonly buckets: readonly string[];
  readonly scope?: ResolveScope;
  /** ACTIVE findings inside this scope are kept too (reassessed by their rules, not resolved for being absent). */
  readonly watch?: ResolveScope;
}

/**
 * Reads the stored ReplGuard findings for `wanted.ids`, plus every ACTIVE one inside `wanted.scope`, keyed by
 * id. One query per 20 buckets (GetFindings by ResourceId, every record state, paged 100 at a time) serves
 * both: every finding of a source bucket carries its ARN. That is far fewer calls than reading by Id (20 a
 * request) whenever a bucket has more than one finding (a storm's 100 aggregates over 20 buckets: one call
 * instead of five). Each query's `expected` mirrors exactly what its filters select, so a record outside it
 * proves the service ignored the filters (the listing was everything there is); `keep` decides client-side.
 */
export const readFindings = async (
  t: SecurityHubTarget,
  wanted: FindingsWanted,
): Promise<Map<string, AwsSecurityFinding>> => {
  const out = new Map<string, AwsSecurityFinding>();
  const ids = new Set(wanted.ids);
  const scope = wanted.scope;
  const activeIn = (f: AwsSecurityFinding, s: ResolveScope | undefined): boolean => {
    const prev = s ? previousFromAsff(f) : undefined;
    return prev !== undefined && s !== undefined && prev.state === 'ACTIVE' && inResolveScope(prev, s);
  };
  const keep = (f: AwsSecurityFinding): void => {
    if (f.Id && ours(t, f) && (ids.has(f.Id) || activeIn(f, scope) || activeIn(f, wanted.watch)))
      out.set(f.Id, f);
  };
  const product = equalsAny([t.productArn]);
  const buckets = [
    ...new Set([...wanted.buckets, ...(scope?.buckets ?? []), ...(wanted.watch?.buckets ?? [])]),
  ];
  for (const part of chunk(buckets, FILTER_VALUES)) {
    const arns = part.map((b) => bucketArn(b, t.region));
    const expected = (f: AwsSecurityFinding) =>
      f.ProductArn === t.productArn && (f.Resources ?? []).some((r) => arns.includes(r.Id ?? ''));
    if (await query(t, { ProductArn: product, ResourceId: equalsAny(arns) }, expected, keep)) return out;
  }
  if (!scope || scope.buckets !== undefined || scope.ruleIds === undefined) return out;
  // A scope of rules alone (no buckets): every ACTIVE finding of those rules.
  for (const generators of chunk(
    scope.ruleIds.map((r) => `replguard/${r}`),
    FILTER_VALUES,
  )) {
    const filters: AwsSecurityFindingFilters = {
      ProductArn: product,
      RecordState: equalsAny(['ACTIVE']),
      GeneratorId: equalsAny(generators),
    };
    const expected = (f: AwsSecurityFinding) =>
      f.ProductArn === t.productArn && f.RecordState === 'ACTIVE' && generators.includes(f.GeneratorId ?? '');
    if (await query(t, filters, expected, keep)) return out;
  }
  return out;
};

export interface ImportOutcome {
  readonly imported: string[];
  readonly failed: FailedItem[];
}

/**
 * Imports findings in batches of ≤100 and ≤6 MB, under the rate limit. Findings listed in
 * `FailedFindings`, and batches that fail with throttling or transient errors, are retried with
 * backoff up to `maxAttempts` times; what still fails is returned with the last reason.
 * Security Hub not enabled, or access denied, throws a PublishError naming the fix.
 */
export const importFindings = async (
  t: SecurityHubTarget,
  findings: readonly AwsSecurityFinding[],
  maxAttempts = 4,
): Promise<ImportOutcome> => {
  const timer = t.timer ?? realTimer;
  const imported: string[] = [];
  const reasons = new Map<string, string>();
  let pending = [...findings];
  for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
    if (attempt > 1) await timer.sleep(backoffMs(attempt - 1));
    const retry: AwsSecurityFinding[] = [];
    for (const batch of batchBy(pending, { ...IMPORT_BATCH, sizeOf: jsonBytes })) {
      await importLimiterOf(t).take();
      try {
        const out = await t.client.send(new BatchImportFindingsCommand({ Findings: batch }));
        const failed = new Map((out.FailedFindings ?? []).map((f) => [f.Id ?? '', f]));
        for (const f of batch) {
          const failure = failed.get(f.Id ?? '');
          if (!failure) imported.push(f.Id ?? '');
          else {
            reasons.set(
              f.Id ?? '',
              `${failure.ErrorCode ?? 'Failed'}: ${failure.ErrorMessage ?? 'rejected by Security Hub'}`,
            );
            retry.push(f);
          }
        }
      } catch (error) {
        const fatal = fatalSecurityHubError(error, 'BatchImportFindings', t);
        if (fatal) throw fatal;
        const code = awsErrorCode(error) ?? 'Error';
        const reason = THROTTLING.has(code) ? `${code}: throttled` : `${code}: ${(error as Error).message}`;
        for (const f of batch) reasons.set(f.Id ?? '', reason);
        retry.push(...batch);
      }
    }
    pending = retry;
  }
  return {
    imported,
    failed: pending.map((f) => ({ id: f.Id ?? '', reason: reasons.get(f.Id ?? '') ?? 'not imported' })),
  };
};

/** A workflow change for one finding: suppressed with a note (a risk exception), or back to NEW. */
export interface WorkflowUpdate {
  readonly id: string;
  readonly status: 'SUPPRESSED' | 'NEW';
  readonly note: string;
}

/** BatchUpdateFindings takes at most 100 findings a request. */
const UPDATE_BATCH = 100;

/**
 * Sets the workflow status and note of findings ReplGuard imported, as a customer does (BatchUpdateFindings:
 * BatchImportFindings cannot change Workflow or Note once a finding exists). Grouped by status and note, at
 * most 100 a request. Returns the findings Security Hub did not process, with its reason.
 */
export const updateWorkflow = async (
  t: SecurityHubTarget,
  updates: readonly WorkflowUpdate[],
): Promise<FailedItem[]> => {
  const groups = new Map<string, WorkflowUpdate[]>();
  for (const u of updates) {
    const key = JSON.stringify([u.status, u.note]);
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  const failed: FailedItem[] = [];
  for (const group of groups.values()) {
    for (const part of chunk(group, UPDATE_BATCH)) {
      const first = part[0] as WorkflowUpdate;
      await importLimiterOf(t).take();
      try {
        const out = await t.client.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: part.map((u) => ({ Id: u.id, ProductArn: t.productArn })),
            Workflow: { Status: first.status },
            Note: { Text: first.note, UpdatedBy: 'ReplGuard risk exceptions' },
          }),
        );
        for (const u of out.UnprocessedFindings ?? [])
          failed.push({
            id: `workflow:${u.FindingIdentifier?.Id ?? ''}`,
            reason: `${u.ErrorCode ?? 'Unprocessed'}: ${u.ErrorMessage ?? 'not processed by Security Hub'}`,
          });
      } catch (error) {
        const fatal = fatalSecurityHubError(error, 'BatchUpdateFindings', t);
        if (fatal) throw fatal;
        for (const u of part)
          failed.push({
            id: `workflow:${u.id}`,
            reason: `${awsErrorCode(error) ?? 'Error'}: ${(error as Error).message}`,
          });
      }
    }
  }
  return failed;
};
