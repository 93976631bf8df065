/** Errors of the Organization sweep's tasks (ListShards, Summarise). */
export const SweepErrorCode = {
  /** More (account, Region) shards than one execution's state can carry. */
  TooManyShards: 'TOO_MANY_SHARDS',
  /** The Map run's results in S3 could not be read or are not what Step Functions writes. */
  ResultsUnreadable: 'RESULTS_UNREADABLE',
} as const;
export type SweepErrorCode = (typeof SweepErrorCode)[keyof typeof SweepErrorCode];

export class SweepError extends Error {
  override readonly name = 'SweepError';
  constructor(
    message: string,
    readonly code: SweepErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
