/**
 * Patch `keep-alive`: AWS endpoints keep HTTP/1.1 connections open and the SDKs reuse them; werkzeug's server
 * closed every connection after one request (and waited 10 ms for stray bytes first). With the patch, requests
 * share one connection, including after a request whose body the application did not read.
 */
import { Agent, request } from 'node:http';
import { afterAll, describe, expect, inject, it } from 'vitest';

const endpoint = new URL(inject('emulatorEndpoint'));
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
afterAll(() => agent.destroy());

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly reused: boolean;
  readonly connection: string | undefined;
}

const send = (method: string, path: string, body?: string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: endpoint.hostname,
        port: endpoint.port,
        method,
        path,
        agent,
        headers: body === undefined ? {} : { 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            reused: req.reusedSocket,
            connection: res.headers.connection,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });

describe('the emulator keeps connections alive, as AWS endpoints do', () => {
  it('serves a sequence of requests on one connection, bodies read or not', async () => {
    const evaluations = '/replguard/config-evaluations';
    const answers = [
      await send('GET', evaluations),
      // a body the application never reads must not be taken for the start of the next request
      await send('GET', evaluations, 'a body nobody reads'),
      await send('GET', evaluations),
      await send('PUT', `/keep-alive-${Date.now()}`, ''),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(JSON.parse(answers[2]?.body ?? '')).toHaveProperty('Evaluations');
    expect(answers.map((a) => a.connection)).not.toContain('close');
    expect(answers.slice(1).map((a) => a.reused)).toEqual([true, true, true]);
  });

  it('closes the connection when the client asks it to', async () => {
    const closing = await new Promise<string | undefined>((resolve, reject) => {
      const req = request(
        {
          host: endpoint.hostname,
          port: endpoint.port,
          method: 'GET',
          path: '/replguard/config-evaluations',
          headers: { connection: 'close' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers.connection));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(closing).toBe('close');
  });
});
