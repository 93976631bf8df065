/**
 * Sends one event to PagerDuty's Events API v2 (`POST /v2/enqueue`), as PagerDuty documents retries: 202 is
 * accepted; 429, 5xx and network errors are retried with backoff (honouring `Retry-After`); 400 and other
 * client errors are not retried, and PagerDuty's error text is returned to be logged. The routing key is in
 * the body only, never in what this returns.
 */
import { backoffMs, realTimer, type Timer } from './throttle.js';

/** PagerDuty's endpoint; `REPLGUARD_PAGERDUTY_EVENTS_URL` points it elsewhere (a local stand-in in tests). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
export const EVENTS_URL_ENV = 'REPLGUARD_PAGERDUTY_EVENTS_URL';

export const eventsUrl = (env: NodeJS.ProcessEnv = process.env): string =>
  env[EVENTS_URL_ENV]?.trim() || PAGERDUTY_EVENTS_URL;

/** What PagerDuty answered (its JSON body's `status`, `message`, `errors`), after the last attempt. */
export interface PagerDutyAnswer {
  readonly accepted: boolean;
  /** HTTP status of the last attempt; 0 when no response came (network error, timeout). */
  readonly httpStatus: number;
  readonly attempts: number;
  /** PagerDuty's words: `Event processed`, or its error message and errors. */
  readonly message: string;
  readonly dedupKey?: string;
  /** True when retrying cannot help (400 and other client errors but 429). */
  readonly permanent: boolean;
}

export interface SendOptions {
  readonly url?: string;
  readonly maxAttempts?: number;
  readonly timer?: Timer;
  readonly timeoutMs?: number;
  /** Base of the exponential backoff (default 1 s; retries at ~1, 2, 4 s, capped by `maxDelayMs`). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

const retryable = (status: number): boolean => status === 0 || status === 429 || status >= 500;

const describeBody = (body: unknown): { message: string; dedupKey?: string } => {
  if (typeof body !== 'object' || body === null) return { message: '' };
  const b = body as { status?: unknown; message?: unknown; errors?: unknown; dedup_key?: unknown };
  const errors = Array.isArray(b.errors) ? b.errors.filter((e) => typeof e === 'string') : [];
  const words = [b.status, b.message].filter((x) => typeof x === 'string' && x).join(': ');
  return {
    message: [words, ...(errors.length ? [`(${errors.join('; ')})`] : [])].join(' ').slice(0, 500),
    ...(typeof b.dedup_key === 'string' ? { dedupKey: b.dedup_key } : {}),
  };
};

const retryAfterMs = (response: Response): number | undefined => {
  const header = response.headers.get('retry-after');
  const seconds = header ? Number(header) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
};

/** Posts `event` (with its routing key) and retries as PagerDuty documents. Never throws. */
export const sendPagerDutyEvent = async (
  event: Readonly<Record<string, unknown>>,
  options: SendOptions = {},
): Promise<PagerDutyAnswer> => {
  const timer = options.timer ?? realTimer;
  const maxAttempts = options.maxAttempts ?? 4;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let last: PagerDutyAnswer = { accepted: false, httpStatus: 0, attempts: 0, message: '', permanent: false };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let wait: number | undefined;
    try {
      const response = await fetch(options.url ?? eventsUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = { message: text.slice(0, 200) };
      }
      const described = describeBody(body);
      last = {
        accepted: response.status === 202,
        httpStatus: response.status,
        attempts: attempt,
        message: described.message || response.statusText,
        ...(described.dedupKey ? { dedupKey: described.dedupKey } : {}),
        permanent: !retryable(response.status) && response.status !== 202,
      };
      wait = retryAfterMs(response);
    } catch (error) {
      last = {
        accepted: false,
        httpStatus: 0,
        attempts: attempt,
        message: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300),
        permanent: false,
      };
    }
    if (last.accepted || last.permanent || attempt === maxAttempts) return last;
    const backoff = backoffMs(attempt, options.baseDelayMs ?? 1_000, maxDelay);
    await timer.sleep(Math.min(maxDelay, wait ?? backoff));
  }
  return last;
};
