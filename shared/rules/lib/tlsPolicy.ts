import type { PolicyDocument } from '../../model/snapshot.js';
import { globCoversPrefix, globMatches } from './glob.js';
import { arns } from '../../model/partition.js';

type Statement = Readonly<Record<string, unknown>>;

const list = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The statements of a policy document (a single statement object counts as a list of one). */
export const statementsOf = (doc: PolicyDocument): Statement[] =>
  list(doc.Statement).filter((s): s is Statement => typeof s === 'object' && s !== null);

const everyone = (principal: unknown): boolean => {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return list((principal as Record<string, unknown>).AWS).includes('*');
};

const allS3Actions = (action: unknown): boolean =>
  list(action).some((a) => typeof a === 'string' && (a === '*' || a.toLowerCase() === 's3:*'));

/** True when the condition block is exactly `Bool`/`BoolIfExists` `aws:SecureTransport` = false, nothing narrower. */
const onlyInsecureTransport = (condition: unknown): boolean => {
  if (typeof condition !== 'object' || condition === null) return false;
  const operators = Object.entries(condition as Record<string, unknown>);
  if (operators.length !== 1) return false;
  const [operator, block] = operators[0] as [string, unknown];
  if (operator !== 'Bool' && operator !== 'BoolIfExists') return false;
  if (typeof block !== 'object' || block === null) return false;
  const keys = Object.entries(block as Record<string, unknown>);
  if (keys.length !== 1) return false;
  const [key, value] = keys[0] as [string, unknown];
  return key.toLowerCase() === 'aws:securetransport' && list(value).some((v) => v === false || v === 'false');
};

/** Statements that deny every S3 request made without TLS, for everyone (their resources still to check). */
const insecureTransportDenies = (doc: PolicyDocument): Statement[] =>
  statementsOf(doc).filter(
    (s) =>
      s.Effect === 'Deny' &&
      s.NotPrincipal === undefined &&
      s.NotAction === undefined &&
      s.NotResource === undefined &&
      everyone(s.Principal) &&
      allS3Actions(s.Action) &&
      onlyInsecureTransport(s.Condition),
  );

export interface TlsCoverage {
  /** Requests on the bucket itself (`arn:aws:s3:::bucket`) are denied without TLS. */
  readonly bucket: boolean;
  /** Requests on every object (`arn:aws:s3:::bucket/*`) are denied without TLS. */
  readonly objects: boolean;
  /** Sids (or indexes) of the statements that count. */
  readonly statements: readonly string[];
}

/**
 * How far a bucket policy denies requests without TLS (`aws:SecureTransport` false). A deny on
 * `s3:TlsVersion` alone does not count: it still lets plain HTTP through.
 */
export const tlsCoverage = (
  doc: PolicyDocument | null,
  bucket: string,
  region = 'us-east-1',
): TlsCoverage => {
  if (!doc) return { bucket: false, objects: false, statements: [] };
  const bucketArn = arns.bucket(region, bucket);
  const denies = insecureTransportDenies(doc);
  const resources = (s: Statement) => list(s.Resource).filter((r): r is string => typeof r === 'string');
  const coversBucket = denies.filter((s) => resources(s).some((r) => globMatches(r, bucketArn)));
  const coversObjects = denies.filter((s) => resources(s).some((r) => globCoversPrefix(r, `${bucketArn}/`)));
  const counted = [...new Set([...coversBucket, ...coversObjects])];
  return {
    bucket: coversBucket.length > 0,
    objects: coversObjects.length > 0,
    statements: counted.map((s) =>
      typeof s.Sid === 'string' && s.Sid ? s.Sid : `#${statementsOf(doc).indexOf(s) + 1}`,
    ),
  };
};

/** The statement that denies every request to `bucket` made without TLS. */
export const tlsDenyStatement = (
  bucket: string,
  sid = 'DenyInsecureTransport',
  region = 'us-east-1',
): Record<string, unknown> => ({
  Sid: sid,
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [arns.bucket(region, bucket), `${arns.bucket(region, bucket)}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});
