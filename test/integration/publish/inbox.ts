/**
 * SQS queues subscribed to an SNS topic in the emulator, one with raw message delivery off (SNS envelope)
 * and one with it on (the bare message, attributes as SQS message attributes), read back as alerts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { expect } from 'vitest';
import { emulatorClientConfig, withAccount } from '../../emulator/accounts.js';
import type { Scenario } from '../../scenarios/builder.js';
import type { ClientFactory } from '../../../shared/aws/clientFactory.js';
import type { RuleResult } from '../../../shared/model/result.js';
import { publishResults, type PublishInput, type PublishSummary } from '../../../shared/publish/pipeline.js';
import { type SinkEnvironment, type SinkSettings, sinksFor } from '../../../shared/publish/sinks/index.js';

/** One delivered alert, the same whichever way it arrived. */
export interface Delivered {
  readonly subject: string | undefined;
  readonly body: Record<string, unknown> & { transition?: string; finding?: Record<string, unknown> };
  readonly attributes: Record<string, string>;
  readonly raw: string;
}

export interface Inbox {
  readonly topicArn: string;
  /** Everything delivered since the last call, per queue: `envelope` (raw off) and `raw` (raw on). */
  drain(): Promise<{ envelope: Delivered[]; raw: Delivered[] }>;
}

const receiveAll = async (sqs: SQSClient, url: string): Promise<Message[]> => {
  const out: Message[] = [];
  for (;;) {
    const page = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = page.Messages ?? [];
    if (messages.length === 0) return out;
    out.push(...messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
};

/** An SNS envelope (raw delivery off): Type, Subject, Message and MessageAttributes {Type, Value}. */
const fromEnvelope = (m: Message): Delivered => {
  const envelope = JSON.parse(m.Body ?? '{}') as {
    Type: string;
    Subject?: string;
    Message: string;
    MessageAttributes?: Record<string, { Type: string; Value: string }>;
  };
  expect(envelope.Type).toBe('Notification');
  const attributes = Object.fromEntries(
    Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => {
      expect(v.Type).toBe('String');
      return [k, v.Value];
    }),
  );
  return { subject: envelope.Subject, body: JSON.parse(envelope.Message), attributes, raw: envelope.Message };
};

/** Raw delivery: the body is the message itself; attributes arrive as SQS message attributes. */
const fromRaw = (m: Message): Delivered => {
  const attributes = Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => {
      expect(v.DataType).toBe('String');
      return [k, v.StringValue ?? ''];
    }),
  );
  return { subject: undefined, body: JSON.parse(m.Body ?? '{}'), attributes, raw: m.Body ?? '' };
};

/** A topic with two subscribed queues (raw delivery off and on) in the scenario's home account. */
export const inbox = async (env: Scenario, name: string): Promise<Inbox> => {
  const topicArn = await env.topic(`${name}-alerts`);
  const config = emulatorClientConfig(env.endpoint, env.region);
  const sns = withAccount(new SNSClient(config), env.home);
  const sqs = withAccount(new SQSClient(config), env.home);
  const urls: Record<'envelope' | 'raw', string> = { envelope: '', raw: '' };
  for (const kind of ['envelope', 'raw'] as const) {
    const queueArn = await env.queue(`${name}-${kind}`);
    const sub = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }),
    );
    if (kind === 'raw')
      await sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: sub.SubscriptionArn,
          AttributeName: 'RawMessageDelivery',
          AttributeValue: 'true',
        }),
      );
    urls[kind] = (await sqs.send(new GetQueueUrlCommand({ QueueName: `${name}-${kind}` }))).QueueUrl ?? '';
  }
  return {
    topicArn,
    drain: async () => ({
      envelope: (await receiveAll(sqs, urls.envelope)).map(fromEnvelope),
      raw: (await receiveAll(sqs, urls.raw)).map(fromRaw),
    }),
  };
};

/** Turns Security Hub on for the scenario's home account in its Region (AWS requires it before imports). */
export const enableSecurityHub = async (
  env: Scenario,
  region: string = env.region,
): Promise<SecurityHubClient> => {
  const client = withAccount(new SecurityHubClient(emulatorClientConfig(env.endpoint, region)), env.home);
  await client.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  return client;
};

/** `REPLGUARD_SAMPLES_DIR=dir npx vitest run test/integration/publish` keeps the real samples shown in docs/findings.md. */
export const keepSample = (name: string, value: unknown): void => {
  const dir = process.env.REPLGUARD_SAMPLES_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
};

/**
 * Publishes `results` through the sinks `settings` switch on (Security Hub unless switched off), acting as
 * `factory`: the publishing half of the path, as the functions and `replguard scan --publish` run it.
 */
export const publishVia = (
  factory: ClientFactory,
  results: readonly RuleResult[],
  settings: Partial<SinkSettings> = {},
  input: Partial<PublishInput> = {},
  sinkEnv: Omit<SinkEnvironment, 'factory'> = {},
): Promise<PublishSummary> =>
  publishResults(
    {
      sinks: sinksFor({ securityHub: true, ...settings }, { factory, ...sinkEnv }),
      home: () => factory.homeAccountId(),
      region: factory.region,
    },
    { results, now: new Date(), ...input },
  );
