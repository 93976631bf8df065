/**
 * The PagerDuty sink: Events API v2 straight from ReplGuard (PagerDuty's "Amazon CloudWatch" integration drops
 * anything that is not a CloudWatch alarm). A transition of a paging severity triggers (new, changed) or
 * resolves (resolved) the incident whose `dedup_key` is the finding id. The routing key comes from Secrets
 * Manager. 429, 5xx and network errors are retried with backoff; a 400 is not, and is logged with PagerDuty's
 * words; what still fails is parked in a dead-letter queue (with an alarm) when one is configured.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ServiceId } from '../../aws/endpoint.js';
import type { Severity } from '../../model/result.js';
import { pagerDutyEventFor } from '../alert.js';
import { type PagerDutyAnswer, sendPagerDutyEvent } from '../pagerDutyClient.js';
import { readRoutingKey } from '../routingKey.js';
import { alertInputOf } from './topic.js';
import type {
  FindingDelivery,
  FindingItem,
  FindingSink,
  SinkAnswer,
  SinkDefinition,
  SinkEnvironment,
} from './types.js';

/** Severities that page unless the stack says otherwise. */
export const DEFAULT_PAGING: readonly Severity[] = ['CRITICAL', 'HIGH'];

export type PagerDutyAction = 'trigger' | 'resolve';

/**
 * What a transition does to the incident: a paging finding triggers it when new or changed, and resolves it
 * when resolved; a changed finding that no longer pages resolves the incident it opened. Nothing otherwise.
 */
export const actionFor = (item: FindingItem, paging: readonly string[]): PagerDutyAction | undefined => {
  const pages = (severity: string | undefined) => severity !== undefined && paging.includes(severity);
  const before = item.previous?.severity;
  if (item.transition === 'resolved') return pages(before ?? item.result.severity) ? 'resolve' : undefined;
  if (item.transition === 'new') return pages(item.result.severity) ? 'trigger' : undefined;
  if (item.transition === 'changed')
    return pages(item.result.severity) ? 'trigger' : pages(before) ? 'resolve' : undefined;
  return undefined;
};

const regionOfQueue = (url: string, fallback: string): string =>
  /sqs[.-]([a-z]{2}(?:-[a-z]+)+-\d)\./.exec(url)?.[1] ?? fallback;

const words = (a: PagerDutyAnswer): string =>
  `HTTP ${a.httpStatus || 'no response'}${a.message ? `: ${a.message}` : ''} (${a.attempts} attempt${a.attempts === 1 ? '' : 's'})`;

export interface PagerDutyOptions {
  readonly secretArn: string;
  readonly severities?: readonly string[];
  readonly dlqUrl?: string;
  /** Default `REPLGUARD_PAGERDUTY_EVENTS_URL`, else PagerDuty's. */
  readonly url?: string;
}

export const pagerDutySink = (env: SinkEnvironment, options: PagerDutyOptions): FindingSink => {
  const paging = options.severities?.length ? options.severities : DEFAULT_PAGING;

  /** Parks an event that still fails (without its routing key) in the dead-letter queue; true when parked. */
  const park = async (event: Record<string, unknown>, item: FindingItem, answer: PagerDutyAnswer) => {
    if (!options.dlqUrl) return false;
    const sqs = env.factory.client(SQSClient, ServiceId.SQS, {
      region: regionOfQueue(options.dlqUrl, env.factory.region),
    });
    try {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: options.dlqUrl,
          MessageBody: JSON.stringify({
            findingId: item.id,
            event,
            answer: { httpStatus: answer.httpStatus, message: answer.message, attempts: answer.attempts },
            at: new Date().toISOString(),
          }),
        }),
      );
      return true;
    } catch (error) {
      env.logger?.error('Could not park a failed PagerDuty event in its dead-letter queue', {
        findingId: item.id,
        error: (error as Error).message,
      });
      return false;
    }
  };

  const deliverOne = async (
    item: FindingItem,
    delivery: FindingDelivery,
    routingKey: string,
  ): Promise<{ answer?: SinkAnswer; failed?: { id: string; reason: string } }> => {
    const action = actionFor(item, paging);
    if (!action) return {};
    const event =
      action === 'resolve'
        ? { event_action: 'resolve', dedup_key: item.id }
        : { ...pagerDutyEventFor(alertInputOf(item, delivery)), event_action: 'trigger' };
    const answer = await sendPagerDutyEvent(
      { routing_key: routingKey, ...event },
      { ...(options.url ? { url: options.url } : {}), ...(env.timer ? { timer: env.timer } : {}) },
    );
    const detail = words(answer);
    if (answer.accepted) return { answer: { findingId: item.id, action, accepted: true, detail } };
    const fields = { findingId: item.id, action, httpStatus: answer.httpStatus, pagerDuty: answer.message };
    if (answer.permanent)
      env.logger?.error(
        'PagerDuty rejected the event (not retried: fix the event or the integration)',
        fields,
      );
    else env.logger?.error('PagerDuty did not accept the event after retries', fields);
    const parked = await park(event, item, answer);
    return {
      answer: {
        findingId: item.id,
        action,
        accepted: false,
        detail: parked ? `${detail}; parked in the dead-letter queue` : detail,
      },
      ...(parked ? {} : { failed: { id: `pagerDuty:${item.id}`, reason: detail } }),
    };
  };

  return {
    name: 'pagerDuty',
    role: 'alert',
    async deliver(delivery) {
      const paged = delivery.items.filter((i) => actionFor(i, paging));
      if (paged.length === 0) return { delivered: [], failed: [], messages: 0, answers: [] };
      let routingKey: string;
      try {
        routingKey = await readRoutingKey(env.factory, options.secretArn);
      } catch (error) {
        const reason = (error as Error).message;
        env.logger?.error('PagerDuty routing key unavailable: incidents are not sent', { reason });
        return { delivered: [], failed: paged.map((i) => ({ id: `pagerDuty:${i.id}`, reason })) };
      }
      const outcomes = [];
      for (const item of paged) outcomes.push(await deliverOne(item, delivery, routingKey));
      const answers = outcomes.flatMap((o) => (o.answer ? [o.answer] : []));
      return {
        delivered: answers.filter((a) => a.accepted).map((a) => a.findingId),
        failed: outcomes.flatMap((o) => (o.failed ? [o.failed] : [])),
        messages: answers.filter((a) => a.accepted).length,
        answers,
      };
    },
  };
};

export const pagerDutyDefinition: SinkDefinition = {
  name: 'pagerDuty',
  settings: [
    {
      key: 'pagerDutySecretArn',
      env: 'REPLGUARD_PAGERDUTY_SECRET_ARN',
      flag: 'pagerduty-secret-arn',
      kind: 'text',
      help: 'Secrets Manager secret with a PagerDuty Events API v2 routing key: page and resolve incidents',
    },
    {
      key: 'pagerDutySeverities',
      env: 'REPLGUARD_PAGERDUTY_SEVERITIES',
      flag: 'pagerduty-severities',
      kind: 'list',
      help: 'severities that page, comma-separated (default CRITICAL,HIGH)',
    },
    {
      key: 'pagerDutyDlqUrl',
      env: 'REPLGUARD_PAGERDUTY_DLQ_URL',
      kind: 'text',
      help: 'SQS queue for PagerDuty events that still fail after retries (the stack creates it, with an alarm)',
    },
  ],
  create: (settings, env) =>
    settings.pagerDutySecretArn
      ? pagerDutySink(env, {
          secretArn: settings.pagerDutySecretArn,
          ...(settings.pagerDutySeverities ? { severities: settings.pagerDutySeverities } : {}),
          ...(settings.pagerDutyDlqUrl ? { dlqUrl: settings.pagerDutyDlqUrl } : {}),
        })
      : undefined,
};
