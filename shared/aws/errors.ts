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

/**
 * Credentials that are expired, invalid or missing: fixed by refreshing them (`aws sso login`, new keys or a new
 * session token), never by granting a permission. S3 answers some of these with HTTP 403, so they are told
 * apart from AccessDenied by their code.
 */
const CREDENTIAL_ERRORS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
]);

/** Errors of the connection itself: nothing reached the service (or its answer never came back). */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
  'NetworkingError',
]);

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

/** True for expired, invalid or missing credentials (see CREDENTIAL_ERRORS). */
export const isCredentialError = (error: unknown): boolean => {
  const code = awsErrorCode(error);
  return code !== undefined && CREDENTIAL_ERRORS.has(code);
};

/** True for the errors that mean "you may not read this" (expired or invalid credentials are not that). */
export const isAccessDenied = (error: unknown): boolean => {
  if (isCredentialError(error)) return false;
  const code = awsErrorCode(error);
  return (code !== undefined && ACCESS_DENIED.has(code)) || httpStatus(error) === 403;
};

/** True when the request never got an answer: refused, unresolvable host, reset, timed out. */
export const isConnectionError = (error: unknown): boolean => {
  const code = awsErrorCode(error);
  const errno = (error as { code?: unknown } | null)?.code;
  return (
    (code !== undefined && CONNECTION_ERRORS.has(code)) ||
    (typeof errno === 'string' && CONNECTION_ERRORS.has(errno))
  );
};

/** True when the service refused the rate of calls (after the SDK's own retries). */
export const isThrottling = (error: unknown): boolean => {
  const code = awsErrorCode(error);
  return code !== undefined && THROTTLING.has(code);
};
