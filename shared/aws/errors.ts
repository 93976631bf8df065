/** Errors raised while building or using AWS clients. */
export class AwsClientError extends Error {
  override readonly name = 'AwsClientError';
  constructor(
    message: string,
    readonly code: 'ASSUME_ROLE_FAILED' | 'NO_REGION' | 'NO_ACCOUNT',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The AWS error code of an SDK exception (`name`, or `Code` for some S3 errors). */
export const awsErrorCode = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; Code?: unknown; code?: unknown };
  if (typeof e.Code === 'string') return e.Code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return typeof e.code === 'string' ? e.code : undefined;
};

/** HTTP status of an SDK exception, when it carries one. */
export const httpStatus = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
  'InvalidClientTokenId',
  'ExpiredToken',
]);

/** True for the errors that mean "you may not read this". */
export const isAccessDenied = (error: unknown): boolean => {
  const code = awsErrorCode(error);
  return (code !== undefined && ACCESS_DENIED.has(code)) || httpStatus(error) === 403;
};
