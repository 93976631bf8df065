/**
 * The chat sink: one AWS Chatbot (Amazon Q Developer in chat applications) custom notification per
 * transition, to the topic a Slack or Microsoft Teams channel configuration subscribes to. Chatbot reads the
 * whole message as the notification (and drops anything else silently), so it gets a topic of its own.
 */
import { toChatMessage } from '../chat.js';
import { alertInputOf, sendToTopic } from './topic.js';
import type { FindingSink, SinkDefinition, SinkEnvironment } from './types.js';

export const chatSink = (env: SinkEnvironment, topicArn: string): FindingSink => ({
  name: 'chat',
  role: 'alert',
  deliver: (delivery) =>
    sendToTopic(env, topicArn, delivery, (item) => toChatMessage(alertInputOf(item, delivery))),
});

export const chatDefinition: SinkDefinition = {
  name: 'chat',
  settings: [
    {
      key: 'chatTopicArn',
      env: 'REPLGUARD_CHAT_TOPIC_ARN',
      flag: 'chat-topic-arn',
      kind: 'text',
      help: 'SNS topic of an AWS Chatbot channel: one chat notification per transition',
    },
  ],
  create: (settings, env) => (settings.chatTopicArn ? chatSink(env, settings.chatTopicArn) : undefined),
};
