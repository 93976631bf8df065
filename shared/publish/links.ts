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

/** The Security Hub console's findings view filtered to one finding id (the console expects it double-encoded). */
export const securityHubFindingLink = (findingId: string, region: string): string =>
  `https://${consoleHost(region)}/securityhub/home?region=${region}#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A${encodeURIComponent(encodeURIComponent(findingId))}`;

/** The S3 console page of a bucket, on its Management tab (where replication rules live). */
export const s3BucketLink = (bucket: string, region: string): string => {
  const host = partitionOf(region) === 'aws' ? 's3.console.aws.amazon.com' : consoleHost(region);
  return `https://${host}/s3/buckets/${encodeURIComponent(bucket)}?region=${region}&tab=management`;
};
