/**
 * The PagerDuty routing key, read from AWS Secrets Manager (never from the template, the environment, logs or
 * outputs): the secret holds the key itself, or JSON `{"routingKey": "…"}`. Cached for five minutes in a warm
 * function, so a rotated key takes effect soon without a read per alert.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ClientFactory } from '../aws/clientFactory.js';
import { ServiceId } from '../aws/endpoint.js';
import { awsErrorCode, isAccessDenied } from '../aws/errors.js';
import { PublishError, PublishErrorCode } from './errors.js';

export const ROUTING_KEY_TTL_MS = 5 * 60_000;

const cache = new Map<string, { readonly at: number; readonly key: string }>();

/** The routing key a secret's value holds: the key itself, or JSON `{"routingKey": "…"}`. */
export const routingKeyOf = (value: string, secretArn: string): string => {
  const text = value.trim();
  let key = text;
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const found = (parsed as { routingKey?: unknown } | undefined)?.routingKey;
    key = typeof found === 'string' ? found.trim() : '';
    if (!key)
      throw new PublishError(
        `Secret ${secretArn} holds JSON without a "routingKey" string: store {"routingKey": "<Events API v2 integration key>"} or the key alone`,
        PublishErrorCode.PagerDutyKeyInvalid,
      );
  }
  if (!/^[A-Za-z0-9]{20,64}$/.test(key))
    throw new PublishError(
      `Secret ${secretArn} does not hold a PagerDuty Events API v2 routing key (32 letters and digits): copy the integration key of an "Events API v2" integration`,
      PublishErrorCode.PagerDutyKeyInvalid,
    );
  return key;
};

/** Reads (or reuses) the routing key of `secretArn`. Throws PublishError naming the fix when it cannot. */
export const readRoutingKey = async (
  factory: ClientFactory,
  secretArn: string,
  now: number = Date.now(),
): Promise<string> => {
  const hit = cache.get(secretArn);
  if (hit && now - hit.at < ROUTING_KEY_TTL_MS) return hit.key;
  const region = secretArn.split(':')[3] || factory.region;
  const client = factory.client(SecretsManagerClient, ServiceId.SecretsManager, { region });
  let value: string | undefined;
  try {
    value = (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (error) {
    const code = awsErrorCode(error) ?? 'Error';
    throw new PublishError(
      isAccessDenied(error)
        ? `Not allowed to read the PagerDuty secret ${secretArn}: grant secretsmanager:GetSecretValue on it (and kms:Decrypt if it uses a customer managed key)`
        : `Could not read the PagerDuty secret ${secretArn} (${code}): check the ARN`,
      PublishErrorCode.PagerDutyKeyUnreadable,
      [],
      { cause: error },
    );
  }
  if (!value)
    throw new PublishError(
      `Secret ${secretArn} has no string value: store the routing key as a plain text secret`,
      PublishErrorCode.PagerDutyKeyInvalid,
    );
  const key = routingKeyOf(value, secretArn);
  cache.set(secretArn, { at: now, key });
  return key;
};

/** Forgets cached keys (tests). */
export const clearRoutingKeys = (): void => cache.clear();
