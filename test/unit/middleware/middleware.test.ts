import middy from '@middy/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseApiCallEvent } from '../../../shared/events/cloudTrail.js';
import { EventError } from '../../../shared/events/errors.js';
import { errorHandler, observe, validateEvent } from '../../../shared/middleware/index.js';
import { createObservability, redactingReplacer } from '../../../shared/middleware/observability.js';
import { lambdaContext, loadEvent } from '../../fixtures/events/index.js';

let written: string[] = [];
beforeEach(() => {
  written = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
});
afterEach(() => vi.restoreAllMocks());

const lines = () =>
  written
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const logs = () => lines().filter((l) => !('_aws' in l));
const emf = () => lines().filter((l) => '_aws' in l);

/** A function wired like the real ones, around `body`. */
const wired = <T>(body: (event: T) => Promise<unknown>, parse: (e: unknown) => T) => {
  const obs = createObservability('unitTest');
  const handler = middy(async (event: T) => {
    obs.logger.info('handling');
    return body(event);
  })
    .use(observe(obs, (e: { id?: string } | null) => e?.id))
    .use(errorHandler(obs))
    .use(validateEvent(obs, parse));
  return { obs, handler };
};

describe('the middleware stack', () => {
  it('hands the parsed event to the handler and logs with the correlation id and Lambda context', async () => {
    const { handler } = wired(async (call) => call.eventName, parseApiCallEvent);
    const result = await handler(
      loadEvent('cloudtrail', 'kms-disable-key') as never,
      lambdaContext('unitTest') as never,
    );
    expect(result).toBe('DisableKey');
    expect(logs().find((l) => l.message === 'handling')).toMatchObject({
      correlation_id: '6f4ab5e8-3c5e-4b86-9f0b-2a1c3e5d7f90',
      function_name: 'unitTest',
      function: 'unitTest',
      service: 'replguard',
    });
  });

  it('falls back to the Lambda request id as correlation id', async () => {
    const { handler } = wired(
      async () => 'ok',
      (e) => e,
    );
    const context = lambdaContext('unitTest');
    await handler({} as never, context as never);
    expect(logs().find((l) => l.message === 'handling')?.correlation_id).toBe(context.awsRequestId);
  });

  it('rejects bad input: logs the reason once, counts it, and throws (never reaches the handler)', async () => {
    const body = vi.fn(async () => 'unreachable');
    const { handler } = wired(body, parseApiCallEvent);
    const bad = { ...loadEvent('cloudtrail', 'kms-disable-key'), source: 'aws.ec2' };
    await expect(handler(bad as never, lambdaContext('unitTest') as never)).rejects.toBeInstanceOf(
      EventError,
    );
    expect(body).not.toHaveBeenCalled();
    const errors = logs().filter((l) => l.level === 'ERROR');
    expect(errors).toEqual([
      expect.objectContaining({
        message: 'Rejected invalid input',
        code: 'INVALID_EVENT',
        problems: [expect.stringMatching(/^source: /)],
      }),
    ]);
    expect(emf().some((d) => d.MalformedMessages === 1)).toBe(true);
    expect(emf().some((d) => d.Failures === 1 && d.ErrorName === 'EventError')).toBe(true);
  });

  it('logs a handler error with its cause chain, counts it, and rethrows it unchanged', async () => {
    const failure = new Error('publish failed', {
      cause: Object.assign(new Error('throttled'), { name: 'ThrottlingException' }),
    });
    const { handler } = wired(
      async () => {
        throw failure;
      },
      (e) => e,
    );
    await expect(handler({} as never, lambdaContext('unitTest') as never)).rejects.toBe(failure);
    expect(logs().find((l) => l.message === 'Invocation failed')).toMatchObject({
      level: 'ERROR',
      error: {
        name: 'Error',
        message: 'publish failed',
        cause: { name: 'ThrottlingException', message: 'throttled' },
      },
    });
    expect(emf().some((d) => d.Failures === 1 && d.ErrorName === 'Error')).toBe(true);
  });

  it('flushes the metrics of every invocation, with a cold start the first time', async () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand'); // as Lambda sets it
    const { handler, obs } = wired(
      async () => {
        obs.metrics.addMetric('Evaluations', 'Count', 3);
        return 'ok';
      },
      (e) => e,
    );
    await handler({} as never, lambdaContext('unitTest') as never);
    const docs = emf();
    expect(docs.some((d) => d.ColdStart === 1)).toBe(true);
    expect(docs.find((d) => d.Evaluations === 3)).toMatchObject({
      function: 'unitTest',
      service: 'replguard',
    });
    written = [];
    await handler({} as never, lambdaContext('unitTest') as never);
    expect(emf().some((d) => d.ColdStart === 1)).toBe(false);
    vi.unstubAllEnvs();
  });

  it('never prints object keys, even if a caller logs them', () => {
    const obs = createObservability('unitTest');
    obs.logger.info('oops', {
      objectKey: 'patients/jane.pdf',
      sampleObjectKeys: ['patients/john.pdf'],
      bucket: 'phi-prod',
    });
    expect(written.join('')).not.toMatch(/jane|john/);
    expect(logs()[0]).toMatchObject({
      objectKey: '[redacted]',
      sampleObjectKeys: '[redacted]',
      bucket: 'phi-prod',
    });
    expect(redactingReplacer('bucket', 'x')).toBe('x');
  });
});
