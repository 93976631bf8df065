/** Ready-to-run fix commands shared by several rules. */
export const versioningCommand = (bucket: string): string =>
  `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`;
