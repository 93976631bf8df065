import type { ClientFactory } from '../aws/clientFactory.js';
import { DEFAULT_PARAMETERS, type ScanParameters } from '../model/snapshot.js';

/**
 * One scan's shared state: the client factory, the parameters and a memo of reads, so roles, keys,
 * alarms, trails and destinations shared by many buckets are read once per account and Region.
 */
export class ScanSession {
  readonly #memo = new Map<string, Promise<unknown>>();

  constructor(
    readonly factory: ClientFactory,
    readonly parameters: ScanParameters = DEFAULT_PARAMETERS,
  ) {}

  /** Runs `read` once per `key` for this session; later callers share the same promise. */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let pending = this.#memo.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = read();
      this.#memo.set(key, pending);
    }
    return pending;
  }
}
