/** Stable codes for the ways a least-privilege derivation can fail. */
export const IamErrorCode = {
  InvalidAction: 'INVALID_ACTION',
  UnknownAction: 'UNKNOWN_ACTION',
  UnknownResourceType: 'UNKNOWN_RESOURCE_TYPE',
} as const;
export type IamErrorCode = (typeof IamErrorCode)[keyof typeof IamErrorCode];

/** A declared permission that cannot be turned into an IAM statement (a typo, a wildcard, an action AWS does not have). */
export class IamDerivationError extends Error {
  override readonly name = 'IamDerivationError';
  readonly code: IamErrorCode;

  constructor(message: string, code: IamErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
