import type { PreviousFinding, Transition } from '../findings/lifecycle.js';
import type { RuleResult } from '../model/result.js';
import { VERSION } from '../version.js';
import { bucketArn, s3BucketLink, securityHubFindingLink } from './links.js';
import { type PagerDutyEvent, toPagerDutyEvent, type PagerDutyLink } from './pagerDuty.js';
import { ruleText } from './ruleText.js';
import { toAsciiLine, truncate, utf8Bytes } from './text.js';

/** Version of the alert body; later versions add fields and never remove or rename them. */
export const ALERT_VERSION = 1;

/** SNS: subjects must be ASCII, one line, under 100 characters; messages at most 256 KB with attributes. */
export const SnsLimits = { subject: 99, messageBytes: 256 * 1024, safetyBytes: 8 * 1024 } as const;

/** Caps on long fields so a body stays far below SNS's limit; details beyond this are replaced by a note. */
const FieldCaps = { message: 4000, remediation: 8000, detailsBytes: 32 * 1024 } as const;

export type MessageFormat = 'alert' | 'chat';

/** One SNS message to send. */
export interface OutgoingMessage {
  readonly findingId: string;
  readonly transition: Transition;
  readonly format: MessageFormat;
  readonly subject: string;
  readonly body: string;
  /** SNS String message attributes (for subscription filter policies). */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface AlertInput {
  readonly findingId: string;
  readonly transition: Transition;
  /** The (redacted) result the alert is about. */
  readonly result: RuleResult;
  readonly previous?: PreviousFinding;
  readonly timestamp: string;
  /** False when findings are not published to Security Hub (no finding link then). */
  readonly securityHub: boolean;
  readonly regionOf?: (bucket: string) => string | undefined;
  /** ReplGuard's own account: a finding of another account is recorded in that account (its link says so). */
  readonly home?: string;
}

/**
 * What a subject says is wrong, longest first: the rule's problem (with a runtime finding's failure reason,
 * which tells two failures of one pair apart), then the failure reason alone.
 */
const subjectProblems = (result: RuleResult, transition: Transition): string[] => {
  if (result.status === 'UNKNOWN' && transition !== 'resolved') return [`could not verify ${result.ruleId}`];
  const reason = result.details?.failureReason;
  const problem = ruleText(result.ruleId).problem;
  return typeof reason === 'string' && reason ? [`${problem}: ${reason}`, reason] : [problem];
};

/** Cuts `name` to `max` characters, keeping its start and end (`phi-prod-ima...ging-2024`). */
const squeeze = (name: string, max: number): string => {
  if (name.length <= max) return name;
  if (max <= 5) return name.slice(0, Math.max(1, max));
  const keep = max - 3;
  return `${name.slice(0, Math.ceil(keep / 2))}...${name.slice(name.length - Math.floor(keep / 2))}`;
};

/** Shortest readable bucket name in a squeezed subject. */
const MIN_NAME = 12;
/** Shortest squeezed destination next to a whole source name. */
const MIN_DST = 9;

/**
 * The subject: `[SEVERITY] replication of SRC to DST (account DSTACCT): problem`, `[SEVERITY] changed: …` or
 * `[RESOLVED] …`. It names what tells two alerts apart: the rule's problem, a runtime finding's failure reason
 * and, when the pair crosses accounts, the destination's account. Printable ASCII, one line, at most 99
 * characters: the path is shortened first (the destination's name squeezed in the middle, then both names), then
 * the problem phrase gives way to the failure reason alone, and only then is anything cut.
 */
export const alertSubject = (result: RuleResult, transition: Transition): string => {
  const tag =
    transition === 'resolved'
      ? '[RESOLVED]'
      : `[${result.severity}]${transition === 'changed' ? ' changed:' : ''}`;
  const src = toAsciiLine(result.bucket);
  const dst = result.destinationBucket ? toAsciiLine(result.destinationBucket) : undefined;
  const other = result.destinationAccountId && result.destinationAccountId !== result.accountId;
  const account = other ? ` (account ${result.destinationAccountId})` : '';
  const fits = (subject: string) => subject.length <= SnsLimits.subject;
  const problems = subjectProblems(result, transition).map(toAsciiLine);
  for (const problem of problems) {
    const full = dst ? [`replication of ${src} to ${dst}${account}`, `${src} -> ${dst}${account}`] : [src];
    for (const where of full) if (fits(`${tag} ${where}: ${problem}`)) return `${tag} ${where}: ${problem}`;
    const room = SnsLimits.subject - `${tag} : ${problem}${account}`.length - (dst ? ' -> '.length : 0);
    // The source names the data: it stays whole while the destination can keep a readable part.
    if (dst && room - src.length >= MIN_DST)
      return `${tag} ${src} -> ${squeeze(dst, room - src.length)}${account}: ${problem}`;
    const each = Math.floor(room / (dst ? 2 : 1));
    if (each < MIN_NAME) continue;
    const where = dst ? `${squeeze(src, each)} -> ${squeeze(dst, each)}${account}` : squeeze(src, each);
    return `${tag} ${where}: ${problem}`;
  }
  const where = dst
    ? `${squeeze(src, MIN_NAME)} -> ${squeeze(dst, MIN_NAME)}${account}`
    : squeeze(src, MIN_NAME);
  return truncate(`${tag} ${where}: ${problems.at(-1) ?? ''}`, SnsLimits.subject, '...');
};

/** Console links, by name: the Security Hub finding (when published there) and the source and destination buckets. */
export interface AlertLinks {
  readonly securityHub?: string;
  readonly sourceBucket: string;
  readonly destinationBucket?: string;
}

export const alertLinks = (input: AlertInput): AlertLinks => {
  const { result } = input;
  const dst = result.destinationBucket;
  return {
    ...(input.securityHub
      ? {
          securityHub: securityHubFindingLink(
            input.findingId,
            result.region,
            input.home !== undefined && result.accountId !== input.home ? result.accountId : undefined,
          ),
        }
      : {}),
    sourceBucket: s3BucketLink(result.bucket, result.region),
    ...(dst ? { destinationBucket: s3BucketLink(dst, input.regionOf?.(dst) ?? result.region) } : {}),
  };
};

const pagerDutyLinks = (links: AlertLinks, result: RuleResult): PagerDutyLink[] => [
  ...(links.securityHub ? [{ href: links.securityHub, text: 'Security Hub finding' }] : []),
  { href: links.sourceBucket, text: `S3 bucket ${result.bucket}` },
  ...(links.destinationBucket && result.destinationBucket
    ? [{ href: links.destinationBucket, text: `S3 bucket ${result.destinationBucket}` }]
    : []),
];

const cappedDetails = (
  details: Readonly<Record<string, unknown>> | undefined,
): Readonly<Record<string, unknown>> => {
  if (!details) return {};
  return utf8Bytes(JSON.stringify(details)) <= FieldCaps.detailsBytes
    ? details
    : {
        truncated: true,
        note: `details over ${FieldCaps.detailsBytes} bytes left out; see the Security Hub finding`,
      };
};

/** The finding as alerts show it (the alert body's `finding`), from a redacted result. */
export const alertFinding = (input: AlertInput) => {
  const { result, findingId } = input;
  const text = ruleText(result.ruleId);
  return {
    id: findingId,
    ruleId: result.ruleId,
    title: text.title,
    problem: text.problem,
    status: result.status,
    severity: result.severity,
    bucket: result.bucket,
    destinationBucket: result.destinationBucket,
    replicationRuleId: result.replicationRuleId,
    accountId: result.accountId,
    region: result.region,
    ...(result.destinationAccountId ? { destinationAccountId: result.destinationAccountId } : {}),
    message: truncate(result.message, FieldCaps.message),
    remediation: truncate(result.remediation || text.remediationText, FieldCaps.remediation),
    remediationUrl: text.remediationUrl,
    hipaa: [...result.hipaa],
    securityHubFindingId: input.securityHub ? findingId : null,
    links: alertLinks(input),
    details: cappedDetails(result.details),
    ...(result.exception ? { exception: result.exception } : {}),
  };
};

/**
 * The PagerDuty Events API v2 event of a transition (without `routing_key`): trigger for new and changed,
 * resolve for resolved, `dedup_key` the finding id, `custom_details` from the redacted finding, links to the
 * Security Hub finding and the buckets.
 */
export const pagerDutyEventFor = (input: AlertInput): PagerDutyEvent => {
  const { result, transition, findingId } = input;
  const finding = alertFinding(input);
  return toPagerDutyEvent({
    findingId,
    transition,
    result,
    subject: alertSubject(result, transition),
    source: bucketArn(result.bucket, result.region),
    timestamp: input.timestamp,
    links: pagerDutyLinks(finding.links, result),
    customDetails: {
      transition,
      ruleId: result.ruleId,
      status: result.status,
      bucket: result.bucket,
      destinationBucket: result.destinationBucket,
      replicationRuleId: result.replicationRuleId,
      message: finding.message,
      remediation: finding.remediation,
      hipaa: finding.hipaa,
      details: finding.details,
    },
  });
};

/** The alert body (JSON): version, transition, the finding, and a ready PagerDuty Events API v2 event. */
export const toAlertMessage = (input: AlertInput): OutgoingMessage => {
  const { transition, findingId } = input;
  const subject = alertSubject(input.result, transition);
  const finding = alertFinding(input);
  const previous =
    transition === 'changed' && input.previous
      ? { previous: { severity: input.previous.severity ?? null, status: input.previous.status ?? null } }
      : {};
  const pagerDuty = pagerDutyEventFor(input);
  const body = {
    version: ALERT_VERSION,
    source: 'replguard',
    replguardVersion: VERSION,
    transition,
    timestamp: input.timestamp,
    finding,
    ...previous,
    pagerDuty,
  };
  return {
    findingId,
    transition,
    format: 'alert',
    subject,
    body: fit(body),
    attributes: attributesOf(input, 'alert'),
  };
};

/** Serialises the body, dropping details if it would not fit in one SNS message. */
const fit = (body: {
  finding: { details: unknown };
  pagerDuty: { payload: { custom_details: unknown } };
}): string => {
  const json = JSON.stringify(body);
  if (utf8Bytes(json) <= SnsLimits.messageBytes - SnsLimits.safetyBytes) return json;
  const note = { truncated: true, note: 'message too large for SNS; see the Security Hub finding' };
  return JSON.stringify({
    ...body,
    finding: { ...body.finding, details: note },
    pagerDuty: { ...body.pagerDuty, payload: { ...body.pagerDuty.payload, custom_details: note } },
  });
};

/** Message attributes for SNS filter policies (e.g. `{"severity":["CRITICAL"],"format":["alert"]}` for PagerDuty). */
export const attributesOf = (input: AlertInput, format: MessageFormat): Record<string, string> => ({
  severity: input.result.severity,
  ruleId: input.result.ruleId,
  bucket: input.result.bucket,
  transition: input.transition,
  status: input.result.status,
  format,
  ...(input.result.destinationBucket ? { destinationBucket: input.result.destinationBucket } : {}),
});
