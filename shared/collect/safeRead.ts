import { awsErrorCode, AwsClientError, isAccessDenied } from '../aws/errors.js';
import { type Datum, known, unknown } from '../model/datum.js';

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

export const errorToDatum = <T>(error: unknown, options: ReadOptions<T>): Datum<T> => {
  if (error instanceof AwsClientError && error.code === 'ASSUME_ROLE_FAILED') {
    const inner = awsErrorCode(error.cause) ?? 'error';
    return unknown(`${error.message} (${inner})`, 'sts:AssumeRole');
  }
  const code = awsErrorCode(error);
  if (code !== undefined && options.absentWhen && Object.hasOwn(options.absentWhen, code)) {
    return known(options.absentWhen[code] as T);
  }
  if (isAccessDenied(error)) return unknown(`AccessDenied on ${options.permission}`, options.permission);
  const message = error instanceof Error ? error.message : String(error);
  return unknown(`${code ?? 'error'} on ${options.permission}: ${message}`.slice(0, 300));
};
