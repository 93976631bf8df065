/**
 * Risk exceptions: a documented acceptance of one rule's failure on one bucket (optionally one destination),
 * with a justification, an owner and an expiry date. While it holds, the finding is published SUPPRESSED in
 * Security Hub with the justification in its note and pages no one; its status stays as it is. Once it
 * expires (or is removed), the finding is active again and pages. A malformed entry is reported, never ignored
 * silently, and never applied.
 *
 * The document (an SSM parameter, `/replguard/exceptions` by default, or a file for the CLI):
 *
 * ```json
 * { "version": 1, "exceptions": [ { "bucket": "phi-archive", "ruleId": "replication_time_control",
 *   "justification": "RTC cost not approved for the cold archive (risk review 2026-10)",
 *   "owner": "jane.doe@example.org", "expires": "2027-03-31" } ] }
 * ```
 */
import { z } from 'zod';
import type { ResultException, RuleResult } from '../model/result.js';

/** Where the functions read risk exceptions from unless `REPLGUARD_EXCEPTIONS_PARAMETER` says otherwise. */
export const DEFAULT_EXCEPTIONS_PARAMETER = '/replguard/exceptions';

export interface RiskException {
  readonly bucket: string;
  readonly ruleId: string;
  /** Only this destination's results (all of the bucket's when absent). */
  readonly destinationBucket?: string;
  readonly justification: string;
  readonly owner: string;
  /** The last day it holds, YYYY-MM-DD (UTC). */
  readonly expires: string;
}

export interface ExceptionSet {
  readonly exceptions: readonly RiskException[];
  /** What is wrong with the document or its entries, each naming what to do. */
  readonly problems: readonly string[];
  /** Where it was read from (for messages). */
  readonly source: string;
}

export const EMPTY_EXCEPTIONS: ExceptionSet = { exceptions: [], problems: [], source: 'none' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a calendar date (2027-02-31 is not one, though Date.parse rolls it over). */
const isRealDate = (d: string): boolean => {
  const ms = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === d;
};

const entrySchema = z.object({
  bucket: z.string().min(3).max(63),
  ruleId: z.string().regex(/^[a-z0-9_]+$/, 'must be a ReplGuard rule id'),
  destinationBucket: z.string().min(3).max(63).optional(),
  justification: z
    .string()
    .trim()
    .min(10, 'must say why the risk is accepted (10 characters or more)')
    .max(400),
  owner: z.string().trim().min(1, 'must name who accepted the risk').max(128),
  expires: z.string().superRefine((d, ctx) => {
    if (!DATE.test(d)) ctx.addIssue({ code: 'custom', message: 'must be a date, YYYY-MM-DD' });
    else if (!isRealDate(d)) ctx.addIssue({ code: 'custom', message: 'must be a real date' });
  }),
});

/**
 * Parses an exceptions document. Entries that are malformed, or name a rule that does not exist, are left
 * out and reported; the others apply.
 */
export const parseExceptions = (text: string, source: string, ruleIds: ReadonlySet<string>): ExceptionSet => {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { exceptions: [], problems: [`${source} is not JSON: ${(error as Error).message}`], source };
  }
  const list = (doc as { exceptions?: unknown } | null)?.exceptions;
  if (!Array.isArray(list))
    return {
      exceptions: [],
      problems: [
        `${source} must be an object with an "exceptions" array: {"version": 1, "exceptions": [...]}`,
      ],
      source,
    };
  const exceptions: RiskException[] = [];
  const problems: string[] = [];
  list.forEach((entry: unknown, i) => {
    const parsed = entrySchema.safeParse(entry);
    const where = `${source} exception #${i + 1}`;
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${where}: ${issue.path.join('.') || 'entry'} ${issue.message}`);
      return;
    }
    if (!ruleIds.has(parsed.data.ruleId)) {
      problems.push(
        `${where}: ruleId "${parsed.data.ruleId}" is not a ReplGuard rule (see the README's rule table)`,
      );
      return;
    }
    exceptions.push(parsed.data);
  });
  return { exceptions, problems, source };
};

/** True while `expires` (its whole day, UTC) has not passed. */
export const holds = (expires: string, now: Date): boolean =>
  now.getTime() < Date.parse(`${expires}T00:00:00Z`) + 24 * 60 * 60 * 1000;

const matches = (e: RiskException, r: RuleResult): boolean =>
  e.bucket === r.bucket &&
  e.ruleId === r.ruleId &&
  (e.destinationBucket === undefined || e.destinationBucket === r.destinationBucket);

/**
 * The results with the exception that applies to each (the one expiring last): `active` while it holds,
 * `expired` after. Results no exception names are returned as they are.
 */
export const applyExceptions = (
  results: readonly RuleResult[],
  set: ExceptionSet,
  now: Date,
): RuleResult[] =>
  set.exceptions.length === 0
    ? [...results]
    : results.map((r) => {
        const found = set.exceptions
          .filter((e) => matches(e, r))
          .sort((a, b) => (a.expires < b.expires ? 1 : -1))[0];
        if (!found) return r;
        const exception: ResultException = {
          status: holds(found.expires, now) ? 'active' : 'expired',
          justification: found.justification,
          owner: found.owner,
          expires: found.expires,
        };
        return { ...r, exception };
      });

/** Exceptions that have expired, for a warning (the findings they covered page again). */
export const expiredIn = (set: ExceptionSet, now: Date): RiskException[] =>
  set.exceptions.filter((e) => !holds(e.expires, now));

/** The note Security Hub shows on a suppressed finding (at most 512 characters). */
export const exceptionNote = (e: ResultException): string =>
  `Risk accepted until ${e.expires} by ${e.owner}: ${e.justification}`.slice(0, 512);
