/**
 * HeadObject for many versions of one bucket (the replication-status sample), at a fraction of the AWS SDK's CPU per
 * call. The SDK v3 spends about 1 ms of CPU on every call in its middleware stack (serialisation, endpoint rules, auth
 * scheme selection, retry bookkeeping, deserialising some 60 output members); a sample of 1,000 versions was bound by
 * it, in a Lambda function as on a laptop.
 *
 * The first call for a bucket goes through the SDK, and a middleware records the request exactly as the SDK sent it:
 * endpoint, path up to the key, query, headers, and the signing name and Region of its SigV4 credential scope. Each
 * next call is that request with only the key and version changed, signed by the client's own SigV4 signer (its
 * credentials, with its clock-skew correction) and sent by the client's own HTTP handler (its connection pool). Only a
 * 200 answer is taken from this path: anything else (403, 404, a redirect, throttling, a network error) is asked again
 * through the SDK, which retries, follows Region redirects and raises its usual errors — so the answers and errors are
 * the SDK's. A request the SDK signed otherwise (S3 Express sessions, SigV4a, unsigned) always goes through the SDK.
 * Every request sent is counted as the client counts its calls.
 */
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { HttpRequest, HttpResponse, QueryParameterBag } from '@smithy/types';
import { countCall } from '../../aws/callCounter.js';

/** The status of one version: `x-amz-replication-status` (undefined when the object was never replicated). */
export type HeadVersion = (key: string, versionId: string | undefined) => Promise<string | undefined>;

interface Template {
  readonly request: HttpRequest;
  readonly prefix: string;
  readonly signingRegion: string;
  readonly signingService: string;
}

/** Headers the signer or the SDK set per request; the rest of the SDK's request is kept as it was. */
const PER_REQUEST = new Set([
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
]);

const SCOPE = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request,/;

/** How the SDK puts a key in an S3 path: each segment percent-encoded as RFC 3986 says, slashes kept. */
export const keyPath = (key: string): string =>
  key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');

const headerOf = (request: HttpRequest, name: string): string | undefined => {
  for (const [k, v] of Object.entries(request.headers)) if (k.toLowerCase() === name) return v;
  return undefined;
};

/** The request the SDK sent for `key`, as a template for the next keys; undefined when it cannot be one. */
const templateOf = (request: HttpRequest, key: string): Template | undefined => {
  const scope = SCOPE.exec(headerOf(request, 'authorization') ?? '');
  const path = keyPath(key);
  if (request.method !== 'HEAD' || !scope?.[1] || !scope[2] || !request.path.endsWith(path)) return undefined;
  if (headerOf(request, 'x-amz-s3session-token') !== undefined) return undefined;
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([k]) => !PER_REQUEST.has(k.toLowerCase())),
  );
  return {
    request: { ...request, headers, body: undefined },
    prefix: request.path.slice(0, request.path.length - path.length),
    signingRegion: scope[1],
    signingService: scope[2],
  };
};

/** A HeadObject of `bucket`'s versions through `s3`, the SDK's request replayed after the first call. */
export const versionHeads = (s3: S3Client, bucket: string): HeadVersion => {
  let template: Promise<Template | undefined> | undefined;

  const viaSdk = async (key: string, versionId: string | undefined, capture?: (t: Template) => void) => {
    const command = new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId });
    if (capture)
      command.middlewareStack.add(
        (next) => async (args) => {
          const t = templateOf(args.request as HttpRequest, key);
          if (t) capture(t);
          return next(args);
        },
        { step: 'deserialize', name: 'replguardHeadTemplate', priority: 'low' },
      );
    // options given: this command's own stack is resolved, not the client's cached one for HeadObject
    return (await (capture ? s3.send(command, {}) : s3.send(command))).ReplicationStatus as
      string | undefined;
  };

  // the signer the SDK builds for the template's scope (the SDK builds one per call; here once per bucket)
  let signer: ReturnType<S3Client['config']['signer']> | undefined;
  const signerFor = (t: Template) =>
    (signer ??= s3.config.signer({
      name: 'sigv4',
      signingName: t.signingService,
      signingRegion: t.signingRegion,
      properties: {},
    }));

  /** The status from the replayed request, or `false` when the SDK must answer instead. */
  const replayed = async (
    t: Template,
    key: string,
    versionId: string | undefined,
  ): Promise<string | false | undefined> => {
    const query: QueryParameterBag = { ...t.request.query };
    if (versionId === undefined) delete query.versionId;
    else query.versionId = versionId;
    // the signer signs a copy: the template's headers stay as captured
    const request: HttpRequest = { ...t.request, path: `${t.prefix}${keyPath(key)}`, query };
    let response: HttpResponse;
    try {
      const signed = (await (
        await signerFor(t)
      ).sign(request, {
        signingDate: new Date(Date.now() + (s3.config.systemClockOffset ?? 0)),
        signingRegion: t.signingRegion,
        signingService: t.signingService,
      })) as HttpRequest;
      ({ response } = (await s3.config.requestHandler.handle(signed)) as { response: HttpResponse });
    } catch {
      return false;
    }
    countCall(s3, 'HeadObject'); // sent, whatever the answer: a call the SDK then repeats is two calls
    (response.body as { resume?: () => void } | undefined)?.resume?.();
    if (response.statusCode !== 200) return false;
    return response.headers['x-amz-replication-status'];
  };

  return async (key, versionId) => {
    if (!template) {
      let settle: (t: Template | undefined) => void = () => undefined;
      template = new Promise((resolve) => (settle = resolve));
      try {
        return await viaSdk(key, versionId, settle);
      } finally {
        settle(undefined); // no-op once captured
      }
    }
    const t = await template;
    const answer = t ? await replayed(t, key, versionId) : false;
    return answer === false ? viaSdk(key, versionId) : answer;
  };
};
