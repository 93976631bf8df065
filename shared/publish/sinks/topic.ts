/** What the SNS-based sinks share: the alert input of an item, and sending one message per item to a topic. */
import { SNSClient } from '@aws-sdk/client-sns';
import { ServiceId } from '../../aws/endpoint.js';
import type { AlertInput, OutgoingMessage } from '../alert.js';
import { sendMessages } from '../sns.js';
import type { FindingDelivery, FindingItem, SinkEnvironment, SinkOutcome } from './types.js';

/** The alert input of an item with a transition. */
export const alertInputOf = (item: FindingItem, delivery: FindingDelivery): AlertInput => ({
  findingId: item.id,
  transition: item.transition ?? 'changed',
  result: item.result,
  ...(item.previous ? { previous: item.previous } : {}),
  timestamp: item.updatedAt,
  securityHub: delivery.recorded,
  home: delivery.home,
  ...(delivery.regionOf ? { regionOf: delivery.regionOf } : {}),
});

/** Sends one message per item (PublishBatch, retried) to `topicArn`, in the topic's own Region. */
export const sendToTopic = async (
  env: SinkEnvironment,
  topicArn: string,
  delivery: FindingDelivery,
  toMessage: (item: FindingItem) => OutgoingMessage,
): Promise<SinkOutcome> => {
  if (delivery.items.length === 0) return { delivered: [], failed: [], messages: 0 };
  const sns = env.factory.client(SNSClient, ServiceId.SNS, {
    region: topicArn.split(':')[3] || delivery.region,
  });
  const out = await sendMessages(sns, topicArn, delivery.items.map(toMessage));
  return { delivered: out.sent.map((m) => m.findingId), failed: out.failed, messages: out.sent.length };
};
