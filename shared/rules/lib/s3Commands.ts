import { shq } from '../../support/shell.js';

/** `aws s3api create-bucket` in `region` (a placeholder when unknown), optionally with Object Lock. */
export const createBucketCommand = (
  bucket: string,
  region: string | undefined,
  objectLock = false,
): string => {
  const where = region ?? '<destination-region>';
  const location =
    where === 'us-east-1' ? '' : ` --create-bucket-configuration LocationConstraint=${shq(where)}`;
  return `aws s3api create-bucket --bucket ${shq(bucket)} --region ${shq(where)}${location}${
    objectLock ? ' --object-lock-enabled-for-bucket' : ''
  }`;
};
