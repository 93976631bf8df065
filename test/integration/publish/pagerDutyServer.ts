/**
 * A stand-in for PagerDuty's Events API v2 on loopback: it checks every request against PagerDuty's published
 * contract (test/fixtures/contracts/pagerduty-events-v2.schema.json) and answers as PagerDuty documents it —
 * 202 `{"status":"success","message":"Event processed","dedup_key":…}`, or 400 `{"status":"invalid event",
 * "message":"Event object is invalid","errors":[…]}` — unless a test scripts other answers (429, 500, …).
 * It records every request, and keeps the open incidents by dedup_key the way PagerDuty deduplicates.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { conforms } from '../../fixtures/contracts/index.js';

/** PagerDuty's body size limit. */
const MAX_BYTES = 512 * 1024;

export interface Received {
  readonly body: Record<string, unknown>;
  readonly raw: string;
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
}

export interface PagerDutyStandIn {
  /** `http://127.0.0.1:<port>/v2/enqueue` */
  readonly url: string;
  readonly received: Received[];
  /** Open incidents by dedup_key (a trigger opens, a resolve closes). */
  readonly open: Map<string, Record<string, unknown>>;
  /** Answers for the next requests, in order (status, optional Retry-After seconds); then the contract decides. */
  script(...answers: (number | { status: number; retryAfter?: number })[]): void;
  close(): Promise<void>;
}

const read = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

export const startPagerDuty = async (): Promise<PagerDutyStandIn> => {
  const received: Received[] = [];
  const open = new Map<string, Record<string, unknown>>();
  const scripted: { status: number; retryAfter?: number }[] = [];
  const server: Server = createServer(async (request, response) => {
    const raw = await read(request);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        parsed = {};
      }
      received.push({ body: parsed, raw, status, headers: request.headers });
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== '/v2/enqueue')
      return reply(404, { status: 'not found', message: `${request.method} ${request.url}` });
    const next = scripted.shift();
    if (next)
      return reply(
        next.status,
        { status: next.status === 429 ? 'throttle event' : 'error', message: 'scripted answer', errors: [] },
        next.retryAfter !== undefined ? { 'retry-after': String(next.retryAfter) } : {},
      );
    if (Buffer.byteLength(raw) > MAX_BYTES)
      return reply(400, {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ['too large'],
      });
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return reply(400, {
        status: 'Unrecognized object',
        message: 'Event object format is unrecognized',
        errors: ['JSON parse error'],
      });
    }
    const errors = conforms('pagerduty-events-v2', body);
    if (errors.length > 0)
      return reply(400, { status: 'invalid event', message: 'Event object is invalid', errors });
    const event = body as { event_action: string; dedup_key?: string };
    const dedupKey = event.dedup_key ?? `generated-${received.length}`;
    if (event.event_action === 'trigger') open.set(dedupKey, body as Record<string, unknown>);
    if (event.event_action === 'resolve') open.delete(dedupKey);
    return reply(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2/enqueue`,
    received,
    open,
    script: (...answers) => scripted.push(...answers.map((a) => (typeof a === 'number' ? { status: a } : a))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
