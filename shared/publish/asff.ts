import type { AwsSecurityFinding, Resource } from '@aws-sdk/client-securityhub';
import { canonicalJson, contentFingerprint, findingKey, messageHash } from '../findings/identity.js';
import { isActiveStatus, type PendingAlert, type PreviousFinding } from '../findings/lifecycle.js';
import type { RuleResult } from '../model/result.js';
import { VERSION } from '../version.js';
import { bucketArn, partitionOf } from './links.js';
import { fixFields, recommendationText } from './recommendation.js';
import { ruleText } from './ruleText.js';
import { truncate } from './text.js';

export const SCHEMA_VERSION = '2018-10-08';
export const HIPAA_TYPE =
  'Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls (USA)';

/** ASFF limits we respect (AWS: Title 256, Description 1024, Recommendation.Text 512, 50 ProductFields of ≤2048). */
export const AsffLimits = {
  title: 256,
  description: 1024,
  recommendationText: 512,
  productFields: 50,
  productFieldValue: 2048,
  resources: 32,
  relatedRequirements: 32,
} as const;

/** The ProductFields ReplGuard writes; `replguard/details/<name>` carries each detail (counts, first/last seen). */
export const Field = {
  version: 'replguard/version',
  ruleId: 'replguard/ruleId',
  bucket: 'replguard/bucket',
  destination: 'replguard/destination',
  replicationRule: 'replguard/replicationRule',
  status: 'replguard/status',
  severity: 'replguard/severity',
  messageHash: 'replguard/messageHash',
  fingerprint: 'replguard/fingerprint',
  remediation: 'replguard/remediation',
  /** The fix commands of the remediation in full, one per field (`replguard/fix/1`, …; see recommendation.ts). */
  fix: 'replguard/fix/',
  /** The failure reason that is part of a runtime finding's identity (see `findingKey`). */
  variant: 'replguard/variant',
  /** An alert still owed (JSON `{transition, sinks}`): the next publish sends it. */
  alertPending: 'replguard/alertPending',
  /** The end of the risk exception ReplGuard suppressed the finding for. */
  exception: 'replguard/exception',
  details: 'replguard/details/',
} as const;

export interface AsffInput {
  readonly id: string;
  /** The (redacted) result; COMPLIANT or NOT_APPLICABLE produce a resolved (PASSED, ARCHIVED) finding. */
  readonly result: RuleResult;
  readonly productArn: string;
  readonly updatedAt: string;
  readonly previous?: PreviousFinding;
  /** Region of a destination bucket, when known (source Regions come with the result). */
  readonly regionOf?: (bucket: string) => string | undefined;
  /** An alert that did not go out: recorded so the next publish sends it. */
  readonly alertPending?: PendingAlert;
}

const isoOrUndefined = (value: unknown): string | undefined => {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

/** A detail value as one ProductFields string (arrays joined, objects as JSON), or undefined when empty. */
const detailString = (value: unknown): string | undefined => {
  if (value === null || value === undefined || value === '') return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null))
    return value.length ? value.join(', ') : undefined;
  const text = typeof value === 'object' ? canonicalJson(value) : String(value);
  return truncate(text, AsffLimits.productFieldValue);
};

const detailsLine = (details: Readonly<Record<string, unknown>> | undefined): string => {
  const parts = Object.entries(details ?? {})
    .map(([k, v]) => [k, detailString(v)] as const)
    .filter((e): e is readonly [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  return parts.length ? ` Details: ${parts.join('; ')}.` : '';
};

const describe = (result: RuleResult): string => {
  const active = isActiveStatus(result.status);
  const lead =
    result.status === 'UNKNOWN'
      ? `${result.message} ReplGuard could not verify this rule and reports it as failing (fail closed).`
      : result.status === 'NON_COMPLIANT'
        ? result.message
        : result.status === 'COMPLIANT'
          ? `Resolved: ${result.message}`
          : `Resolved (no longer applicable): ${result.message}`;
  return truncate(`${lead}${active ? detailsLine(result.details) : ''}`, AsffLimits.description);
};

/** The title: the rule's title and the replication path it is about. */
export const findingTitle = (result: RuleResult): string => {
  const where = result.destinationBucket
    ? `${result.bucket} -> ${result.destinationBucket}${result.replicationRuleId ? `, rule ${result.replicationRuleId}` : ''}`
    : result.bucket;
  return truncate(`${ruleText(result.ruleId).title} (${where})`, AsffLimits.title);
};

const resourcesOf = (result: RuleResult, regionOf?: (bucket: string) => string | undefined): Resource[] => {
  const partition = partitionOf(result.region);
  const out: Resource[] = [
    {
      Type: 'AwsS3Bucket',
      Id: bucketArn(result.bucket, result.region),
      Partition: partition,
      Region: result.region,
    },
  ];
  if (result.destinationBucket) {
    const detailRegion = result.details?.destinationRegion;
    const region =
      regionOf?.(result.destinationBucket) ?? (typeof detailRegion === 'string' ? detailRegion : undefined);
    out.push({
      Type: 'AwsS3Bucket',
      Id: bucketArn(result.destinationBucket, result.region),
      Partition: partition,
      ...(region ? { Region: region } : {}),
    });
  }
  for (const ref of result.resources ?? []) {
    if (out.some((r) => r.Id === ref.id)) continue;
    const arnRegion = ref.id.split(':')[3];
    out.push({
      Type: ref.type,
      Id: ref.id,
      Partition: partition,
      ...(arnRegion ? { Region: arnRegion } : {}),
    });
  }
  return out.slice(0, AsffLimits.resources);
};

const productFields = (result: RuleResult, alertPending?: PendingAlert): Record<string, string> => {
  const fields: Record<string, string> = {
    [Field.version]: VERSION,
    [Field.ruleId]: result.ruleId,
    [Field.bucket]: result.bucket,
    [Field.status]: result.status,
    [Field.severity]: result.severity,
    [Field.messageHash]: messageHash(result.message),
    [Field.fingerprint]: contentFingerprint(result),
  };
  if (result.destinationBucket) fields[Field.destination] = result.destinationBucket;
  if (result.replicationRuleId) fields[Field.replicationRule] = result.replicationRuleId;
  if (result.remediation)
    fields[Field.remediation] = truncate(result.remediation, AsffLimits.productFieldValue);
  const { variant } = findingKey(result);
  if (variant) fields[Field.variant] = variant;
  if (alertPending) fields[Field.alertPending] = JSON.stringify(alertPending);
  if (result.exception?.status === 'active') fields[Field.exception] = result.exception.expires;
  const commands = fixFields(
    result.remediation,
    AsffLimits.productFieldValue,
    AsffLimits.productFields - Object.keys(fields).length,
  );
  Object.assign(fields, commands);
  for (const [name, value] of Object.entries(result.details ?? {})) {
    if (Object.keys(fields).length >= AsffLimits.productFields) break;
    const text = detailString(value);
    if (text !== undefined) fields[`${Field.details}${name}`.slice(0, 128)] = text;
  }
  return fields;
};

/**
 * The ASFF finding for a result. Failing results (NON_COMPLIANT → FAILED, UNKNOWN → WARNING) are ACTIVE
 * with the rule's severity; COMPLIANT and NOT_APPLICABLE results resolve it: PASSED, ARCHIVED, severity
 * INFORMATIONAL (as Security Hub's own controls do; the rule severity stays in `Severity.Original`).
 * `CreatedAt` and `FirstObservedAt` are kept from the previous import.
 */
export const toAsff = ({
  id,
  result,
  productArn,
  updatedAt,
  previous,
  regionOf,
  alertPending,
}: AsffInput): AwsSecurityFinding => {
  const active = isActiveStatus(result.status);
  const text = ruleText(result.ruleId);
  const label = active ? result.severity : 'INFORMATIONAL';
  const types = [HIPAA_TYPE];
  const firstSeen = isoOrUndefined(result.details?.firstSeen);
  const lastSeen = isoOrUndefined(result.details?.lastSeen);
  const firstObservedAt = previous?.firstObservedAt ?? firstSeen ?? (active ? updatedAt : undefined);
  const lastObservedAt = active ? (lastSeen ?? updatedAt) : previous?.lastObservedAt;
  const recommendation = result.remediation || text.remediationText;
  return {
    SchemaVersion: SCHEMA_VERSION,
    Id: id,
    ProductArn: productArn,
    ProductName: 'ReplGuard',
    CompanyName: 'ReplGuard',
    GeneratorId: `replguard/${result.ruleId}`,
    AwsAccountId: result.accountId,
    Types: types,
    CreatedAt: previous?.createdAt ?? updatedAt,
    UpdatedAt: updatedAt,
    ...(firstObservedAt ? { FirstObservedAt: firstObservedAt } : {}),
    ...(lastObservedAt ? { LastObservedAt: lastObservedAt } : {}),
    Severity: { Label: label, Original: result.severity },
    Title: findingTitle(result),
    Description: describe(result),
    Remediation: {
      Recommendation: {
        Text: recommendationText(recommendation, result.bucket, AsffLimits.recommendationText),
        Url: text.remediationUrl,
      },
    },
    ProductFields: productFields(result, alertPending),
    Resources: resourcesOf(result, regionOf),
    Compliance: {
      Status:
        result.status === 'NON_COMPLIANT' ? 'FAILED' : result.status === 'UNKNOWN' ? 'WARNING' : 'PASSED',
      RelatedRequirements: result.hipaa
        .map((c) => (c.startsWith('HIPAA') ? c : `HIPAA ${c}`))
        .slice(0, AsffLimits.relatedRequirements),
    },
    FindingProviderFields: { Severity: { Label: label, Original: result.severity }, Types: types },
    RecordState: active ? 'ACTIVE' : 'ARCHIVED',
  };
};
