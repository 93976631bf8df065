/** Errors that stop collecting a snapshot altogether (expected API errors become state instead). */
export class CollectError extends Error {
  override readonly name = 'CollectError';
  constructor(
    message: string,
    readonly code: 'BUCKET_NOT_FOUND' | 'BUCKET_UNREADABLE' | 'INVALID_CONFIG_ITEM',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
