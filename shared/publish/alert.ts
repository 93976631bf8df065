import type { PreviousFinding, Transition } from '../findings/lifecycle.js';
import type { RuleResult } from '../model/result.js';
import { VERSION } from '../version.js';
import { bucketArn, s3BucketLink, securityHubFindingLink } from './links.js';
import { toPagerDutyEvent, type PagerDutyLink } from './pagerDuty.js';
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
}

/**
 * The subject: `[SEVERITY] replication of SRC to DST: problem`, `[SEVERITY] changed: …` or `[RESOLVED] …`;
 * printable ASCII, one line, at most 99 characters (the path is shortened first, then the problem cut).
 */
export const alertSubject = (result: RuleResult, transition: Transition): string => {
  const tag =
    transition === 'resolved'
      ? '[RESOLVED]'
      : `[${result.severity}]${transition === 'changed' ? ' changed:' : ''}`;
  const problem =
    result.status === 'UNKNOWN' && transition !== 'resolved'
      ? `could not verify ${result.ruleId}`
      : ruleText(result.ruleId).problem;
  const dst = result.destinationBucket;
  const candidates = dst
    ? [`replication of ${result.bucket} to ${dst}`, `${result.bucket} -> ${dst}`]
    : [result.bucket];
  for (const where of candidates) {
    const subject = toAsciiLine(`${tag} ${where}: ${problem}`);
    if (subject.length <= SnsLimits.subject) return subject;
  }
  return truncate(toAsciiLine(`${tag} ${candidates.at(-1) ?? ''}: ${problem}`), SnsLimits.subject, '...');
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
    ...(input.securityHub ? { securityHub: securityHubFindingLink(input.findingId, result.region) } : {}),
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

/** The alert body (JSON): version, transition, the finding, and a ready PagerDuty Events API v2 event. */
export const toAlertMessage = (input: AlertInput): OutgoingMessage => {
  const { result, transition, findingId } = input;
  const text = ruleText(result.ruleId);
  const subject = alertSubject(result, transition);
  const links = alertLinks(input);
  const finding = {
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
    message: truncate(result.message, FieldCaps.message),
    remediation: truncate(result.remediation || text.remediationText, FieldCaps.remediation),
    remediationUrl: text.remediationUrl,
    hipaa: [...result.hipaa],
    securityHubFindingId: input.securityHub ? findingId : null,
    links,
    details: cappedDetails(result.details),
  };
  const previous =
    transition === 'changed' && input.previous
      ? { previous: { severity: input.previous.severity ?? null, status: input.previous.status ?? null } }
      : {};
  const customDetails = {
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
  };
  const pagerDuty = toPagerDutyEvent({
    findingId,
    transition,
    result,
    subject,
    source: bucketArn(result.bucket, result.region),
    timestamp: input.timestamp,
    links: pagerDutyLinks(links, result),
    customDetails,
  });
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
