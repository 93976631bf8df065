/**
 * Service ids as AWS spells them in `AWS_ENDPOINT_URL_<ID>` (the shared config's service-specific endpoints).
 */
export const ServiceId = {
  S3: 'S3',
  IAM: 'IAM',
  KMS: 'KMS',
  STS: 'STS',
  CloudWatch: 'CLOUDWATCH',
  CloudTrail: 'CLOUDTRAIL',
  SecurityHub: 'SECURITYHUB',
  SNS: 'SNS',
  SQS: 'SQS',
  Config: 'CONFIG_SERVICE',
  EventBridge: 'EVENTBRIDGE',
  SecretsManager: 'SECRETS_MANAGER',
  SSM: 'SSM',
  S3Control: 'S3_CONTROL',
  Organizations: 'ORGANIZATIONS',
  DynamoDB: 'DYNAMODB',
  StepFunctions: 'SFN',
} as const;
export type ServiceId = (typeof ServiceId)[keyof typeof ServiceId];

/**
 * The endpoint to use for a service: the explicit option, then `AWS_ENDPOINT_URL_<SERVICE>`,
 * then `AWS_ENDPOINT_URL`; `undefined` means AWS's own endpoint.
 */
export const resolveEndpoint = (
  service: ServiceId,
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined => explicit || env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
