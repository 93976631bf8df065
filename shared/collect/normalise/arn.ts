/** Parts of an ARN (`arn:partition:service:region:account:resource`); `undefined` for text that is not one. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resource: string;
}

/** Splits an ARN, keeping colons inside the resource part. */
export const parseArn = (arn: string): ArnParts | undefined => {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', accountId = '', ...rest] = parts;
  return { partition, service, region, accountId, resource: rest.join(':') };
};

/** The account of an ARN, when it names one. */
export const accountOfArn = (arn: string): string | undefined => parseArn(arn)?.accountId || undefined;

/** The Region of an ARN, when it names one. */
export const regionOfArn = (arn: string): string | undefined => parseArn(arn)?.region || undefined;

/** The role name of a role ARN (`role/service-role/name` → `name`), or `undefined`. */
export const roleNameOfArn = (arn: string): string | undefined => {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'iam' || !parsed.resource.startsWith('role/')) return undefined;
  return parsed.resource.split('/').pop() || undefined;
};
