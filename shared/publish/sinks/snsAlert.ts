/**
 * The SNS alert sink: one JSON alert per transition (new, changed, resolved) to the findings topic, with
 * message attributes for subscription filter policies (e-mail, queues, other routing).
 */
import { toAlertMessage } from '../alert.js';
import { alertInputOf, sendToTopic } from './topic.js';
import type { FindingSink, SinkDefinition, SinkEnvironment } from './types.js';

export const snsAlertSink = (env: SinkEnvironment, topicArn: string): FindingSink => ({
  name: 'snsAlert',
  role: 'alert',
  deliver: (delivery) =>
    sendToTopic(env, topicArn, delivery, (item) => toAlertMessage(alertInputOf(item, delivery))),
});

export const snsAlertDefinition: SinkDefinition = {
  name: 'snsAlert',
  settings: [
    {
      key: 'topicArn',
      env: 'REPLGUARD_FINDINGS_TOPIC_ARN',
      flag: 'topic-arn',
      kind: 'text',
      help: 'SNS topic for alerts on new, changed and resolved findings',
    },
  ],
  create: (settings, env) => (settings.topicArn ? snsAlertSink(env, settings.topicArn) : undefined),
};
