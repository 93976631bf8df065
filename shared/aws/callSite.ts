/**
 * Where an AWS call failed: the service, the operation, the Region and the endpoint, remembered for each error a
 * client throws, so an error message can name them (`S3 GetBucketVersioning in eu-west-1 at https://…`). The SDK's
 * own errors carry only `$metadata` (HTTP status, request id).
 */
import type { MiddlewareStack } from '@smithy/types';

export interface CallSite {
  /** The service as ReplGuard names it (`ServiceId`: S3, STS, KMS, …). */
  readonly service: string;
  /** The API operation, e.g. `GetBucketVersioning`. */
  readonly operation: string;
  readonly region?: string;
  /** `https://host[:port]` the request went to, when it got that far. */
  readonly endpoint?: string;
}

const sites = new WeakMap<object, CallSite>();
const endpoints = new WeakMap<object, string>();

/** The call an error came from, when a ReplGuard client threw it. */
export const callSiteOf = (error: unknown): CallSite | undefined =>
  typeof error === 'object' && error !== null ? sites.get(error) : undefined;

const operationOf = (context: object): string =>
  String((context as { commandName?: string }).commandName ?? 'unknown').replace(/Command$/, '');

/**
 * Adds two middlewares to a client's stack: one (build step) notes the endpoint a request goes to, the other
 * (initialize step, around everything, retries included) records the call site of any error on its way out.
 * The innermost call wins: an AssumeRole that fails inside a credential provider keeps its own site.
 */
export const addCallSite = (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any client's stack
  stack: MiddlewareStack<any, any>,
  where: { readonly service: string; readonly region?: string },
): void => {
  stack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (typeof error === 'object' && error !== null && !sites.has(error)) {
          const endpoint = endpoints.get(context);
          sites.set(error, {
            service: where.service,
            operation: operationOf(context),
            ...(where.region ? { region: where.region } : {}),
            ...(endpoint ? { endpoint } : {}),
          });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'replguardCallSite', override: true },
  );
  stack.add(
    (next, context) => async (args) => {
      const request = args.request as { protocol?: string; hostname?: string; port?: number } | undefined;
      if (request?.hostname)
        endpoints.set(
          context,
          `${request.protocol ?? 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}`,
        );
      return next(args);
    },
    { step: 'build', name: 'replguardEndpoint', override: true },
  );
};
