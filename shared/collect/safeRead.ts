import { awsErrorCode, AwsClientError, isAccessDenied, isCredentialError } from '../aws/errors.js';
import { type Datum, known, unknown, type UnknownDatum } from '../model/datum.js';

export interface ReadOptions<T> {
  /** The IAM action the call needs, named in UNKNOWN results when it is denied. */
  readonly permission: string;
  /** Expected error codes that are state, not failure (e.g. `NoSuchBucketPolicy` → `null`). */
  readonly absentWhen?: Readonly<Record<string, T>>;
}

/**
 * Runs one AWS read and turns expected errors into state: AccessDenied → unknown naming the permission;
 * an expected "not found" code → its value; a failed AssumeRole → unknown naming sts:AssumeRole;
 * anything else → unknown with the error code.
 */
export const safeRead = async <T>(call: () => Promise<T>, options: ReadOptions<T>): Promise<Datum<T>> => {
  try {
    return known(await call());
  } catch (error) {
    return errorToDatum(error, options);
  }
};

/** Expired or invalid credentials: said so, with the fix (refresh them), never as a permission to grant. */
const CREDENTIALS_FIX =
  'Refresh the credentials ReplGuard runs with (`aws sso login --profile NAME`, or new keys or a new session token)';

const credentialsDatum = (code: string, what: string): UnknownDatum => ({
  ...unknown(`the credentials are expired or invalid (${code}) on ${what}`),
  fix: CREDENTIALS_FIX,
});

export const errorToDatum = <T>(error: unknown, options: ReadOptions<T>): Datum<T> => {
  if (error instanceof AwsClientError && error.code === 'ASSUME_ROLE_FAILED') {
    if (isCredentialError(error.cause))
      return credentialsDatum(awsErrorCode(error.cause) ?? 'error', `sts:AssumeRole (${error.message})`);
    const inner = awsErrorCode(error.cause) ?? 'error';
    return unknown(`${error.message} (${inner})`, 'sts:AssumeRole');
  }
  const code = awsErrorCode(error);
  if (code !== undefined && options.absentWhen && Object.hasOwn(options.absentWhen, code)) {
    return known(options.absentWhen[code] as T);
  }
  if (isCredentialError(error)) return credentialsDatum(code ?? 'error', options.permission);
  if (isAccessDenied(error)) return unknown(`AccessDenied on ${options.permission}`, options.permission);
  const message = error instanceof Error ? error.message : String(error);
  return unknown(`${code ?? 'error'} on ${options.permission}: ${message}`.slice(0, 300));
};
