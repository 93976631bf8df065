/** A token bucket and backoff for staying under API rate limits. */

export interface Timer {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const realTimer: Timer = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Allows `ratePerSecond` calls per second on average with bursts of `burst`. `take()` waits until a
 * token is free; callers queue in order.
 */
export class TokenBucket {
  #tokens: number;
  #last: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    readonly timer: Timer = realTimer,
  ) {
    this.#tokens = burst;
    this.#last = timer.now();
  }

  /** Resolves when the caller may make one call. */
  take(): Promise<void> {
    const turn = this.#queue.then(() => this.#wait());
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #wait(): Promise<void> {
    for (;;) {
      const now = this.timer.now();
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.ratePerSecond);
      this.#last = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await this.timer.sleep(Math.ceil(((1 - this.#tokens) / this.ratePerSecond) * 1000));
    }
  }
}

const buckets = new Map<string, TokenBucket>();

/**
 * The process-wide bucket for `key` (e.g. `securityhub:import:<account>:<region>`), so concurrent
 * publishes in one process share the limit. Limits are per process: concurrent Lambda invocations each
 * have their own, and rely on the SDK's adaptive retries beyond that.
 */
export const sharedBucket = (key: string, ratePerSecond: number, burst: number): TokenBucket => {
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = new TokenBucket(ratePerSecond, burst);
    buckets.set(key, bucket);
  }
  return bucket;
};

/** Exponential backoff with full jitter: attempt 1 → up to `baseMs`, attempt 2 → up to 2×, capped. */
export const backoffMs = (
  attempt: number,
  baseMs = 200,
  capMs = 5_000,
  random: () => number = Math.random,
): number => Math.round(random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1)));
