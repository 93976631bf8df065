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

/** The Organization-wide edge index (shared/collect/edgeStore.ts) could not be read or written, or was misused. */
export class EdgeStoreError extends Error {
  override readonly name = 'EdgeStoreError';
  constructor(
    message: string,
    readonly code: 'EDGES_UNREADABLE' | 'EDGES_UNWRITABLE' | 'INVALID_SHARD',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
