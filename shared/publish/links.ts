/** ARNs and console links for a Region's partition. */
import { partitionOf } from '../model/partition.js';

export { partitionOf, type Partition } from '../model/partition.js';

const consoleHost = (region: string): string => {
  const partition = partitionOf(region);
  if (partition === 'aws-cn') return 'console.amazonaws.cn';
  if (partition === 'aws-us-gov') return 'console.amazonaws-us-gov.com';
  return 'console.aws.amazon.com';
};

export const bucketArn = (bucket: string, region: string): string =>
  `arn:${partitionOf(region)}:s3:::${bucket}`;

/** The custom-integration product ARN findings are imported under. */
export const productArn = (region: string, accountId: string): string =>
  `arn:${partitionOf(region)}:securityhub:${region}:${accountId}:product/${accountId}/default`;

/** One `Field EQUALS value` filter of the Security Hub console's search (the console expects it double-encoded). */
const consoleFilter = (field: string, value: string): string =>
  `${field}%3D%255Coperator%255C%253AEQUALS%255C%253A${encodeURIComponent(encodeURIComponent(value))}`;

/**
 * The Security Hub console's findings view in `region` filtered to one finding id; for a finding of another
 * account than ReplGuard's own (`accountId`), also to that account, so the link opens it in the Security Hub
 * administrator's console (which shows member findings of that Region, or of every linked Region in its
 * aggregation Region) as well as in the member account's own.
 */
export const securityHubFindingLink = (findingId: string, region: string, accountId?: string): string =>
  `https://${consoleHost(region)}/securityhub/home?region=${region}#/findings?search=${[
    consoleFilter('Id', findingId),
    ...(accountId ? [consoleFilter('AwsAccountId', accountId)] : []),
  ].join('%26')}`;

/** The S3 console page of a bucket, on its Management tab (where replication rules live). */
export const s3BucketLink = (bucket: string, region: string): string => {
  const host = partitionOf(region) === 'aws' ? 's3.console.aws.amazon.com' : consoleHost(region);
  return `https://${host}/s3/buckets/${encodeURIComponent(bucket)}?region=${region}&tab=management`;
};
