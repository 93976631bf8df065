import type { InitializeHandlerOptions, MiddlewareStack } from '@smithy/types';

/** Counts AWS API calls per `service:operation` (benchmarks and cost reports read it). */
export class CallCounter {
  readonly #counts = new Map<string, number>();

  record(service: string, operation: string): void {
    const key = `${service}:${operation}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** Calls per `service:operation`, sorted by key. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.#counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(): number {
    let sum = 0;
    for (const n of this.#counts.values()) sum += n;
    return sum;
  }

  reset(): void {
    this.#counts.clear();
  }
}

const OPTIONS: InitializeHandlerOptions & { name: string } = {
  step: 'initialize',
  name: 'replguardCallCounter',
  override: true,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- keyed by any client's stack
const counted = new WeakMap<MiddlewareStack<any, any>, { counter: CallCounter; service: string }>();

/**
 * Counts a call that `client` made without its middleware stack (see collect/readers/versionHeads.ts), on the counter
 * its stack counts with; nothing when the client has none.
 */
export const countCall = (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any client
  client: { middlewareStack: MiddlewareStack<any, any> },
  operation: string,
): void => {
  const entry = counted.get(client.middlewareStack);
  entry?.counter.record(entry.service, operation);
};

/** Adds the counting middleware to a client's stack. Each attempt of a retried call counts once (initialize runs once per call). */
export const addCallCounter = (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any client's stack
  stack: MiddlewareStack<any, any>,
  counter: CallCounter,
  service: string,
): void => {
  counted.set(stack, { counter, service });
  stack.add(
    (next, context) => async (args) => {
      const operation = String((context as { commandName?: string }).commandName ?? 'unknown').replace(
        /Command$/,
        '',
      );
      counter.record(service, operation);
      return next(args);
    },
    OPTIONS,
  );
};
