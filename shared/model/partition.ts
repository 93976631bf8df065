/**
 * AWS partitions (`aws`, `aws-cn`, `aws-us-gov`) and the ARNs ReplGuard builds in them: every ARN a rule, a
 * fix or a finding writes comes from here, so a GovCloud or China deployment never sees `arn:aws:`.
 */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** The partition of a Region (`cn-north-1` → `aws-cn`, `us-gov-west-1` → `aws-us-gov`). */
export const partitionOf = (region: string): Partition =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';

/** The partition an ARN names (`aws` for text that is not an ARN). */
export const partitionOfArn = (arn: string): Partition => {
  const p = arn.startsWith('arn:') ? arn.split(':')[1] : undefined;
  return p === 'aws-cn' || p === 'aws-us-gov' ? p : 'aws';
};

export const arns = {
  bucket: (region: string, bucket: string): string => `arn:${partitionOf(region)}:s3:::${bucket}`,
  objects: (region: string, bucket: string, prefix = ''): string =>
    `arn:${partitionOf(region)}:s3:::${bucket}/${prefix}*`,
  key: (region: string, accountId: string, keyId: string): string =>
    `arn:${partitionOf(region)}:kms:${region}:${accountId}:key/${keyId}`,
  alias: (region: string, accountId: string, alias: string): string =>
    `arn:${partitionOf(region)}:kms:${region}:${accountId}:${alias.startsWith('alias/') ? alias : `alias/${alias}`}`,
  topic: (region: string, accountId: string, name: string): string =>
    `arn:${partitionOf(region)}:sns:${region}:${accountId}:${name}`,
  role: (partition: Partition, accountId: string, name: string): string =>
    `arn:${partition}:iam::${accountId}:role/${name}`,
  root: (partition: Partition, accountId: string): string => `arn:${partition}:iam::${accountId}:root`,
} as const;

/** The S3 service principal's host in a Region's partition (China: `s3.amazonaws.com.cn`). */
export const serviceHost = (service: string, region: string): string =>
  partitionOf(region) === 'aws-cn'
    ? `${service}.${region}.amazonaws.com.cn`
    : `${service}.${region}.amazonaws.com`;
