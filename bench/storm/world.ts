/**
 * The emulator side of the storm benchmark: N replicated pairs sharing one replication role, Security Hub on,
 * and the findings topic with one SQS subscription that counts the alerts.
 */
import {
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { mapLimit } from '../../shared/engine/scan.js';
import type { Scenario } from '../../test/scenarios/builder.js';
import { actAs, EMULATOR_CREDENTIALS } from '../../test/scenarios/builder/clients.js';
import type { StormPair } from './events.js';

export interface PublishingWorld {
  readonly env: Scenario;
  readonly pairs: readonly StormPair[];
  readonly topicArn: string;
  readonly queueUrl: string;
  findings(): Promise<AwsSecurityFinding[]>;
}

export const publishingWorld = async (env: Scenario, buckets: number): Promise<PublishingWorld> => {
  const role = await env.replicationRole('storm-replication', {
    sources: ['storm-*'],
    destinations: ['storm-*'],
  });
  const paths = await mapLimit(
    Array.from({ length: buckets }, (_, i) => i),
    8,
    (i) => env.replicatedPair({ name: `storm-${String(i).padStart(2, '0')}`, role, metrics: true }),
  );
  const hub = actAs(
    new SecurityHubClient({ endpoint: env.endpoint, region: env.region, credentials: EMULATOR_CREDENTIALS }),
    env.home,
  );
  await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  const topicArn = await env.topic('storm-findings');
  const queueArn = await env.queue('storm-alerts');
  const { sns, sqs } = env.clients();
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  const queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'storm-alerts' }))).QueueUrl ?? '';
  return {
    env,
    pairs: paths.map((p) => ({
      bucket: p.source.name,
      destinationBucket: p.destination.name,
      ruleId: p.ruleId,
      accountId: env.home,
    })),
    topicArn,
    queueUrl,
    findings: async () => {
      const out: AwsSecurityFinding[] = [];
      let token: string | undefined;
      do {
        const page = await hub.send(
          new GetFindingsCommand({
            Filters: {
              GeneratorId: [{ Value: 'replguard/replication_operations_failing', Comparison: 'EQUALS' }],
            },
            MaxResults: 100,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        out.push(...(page.Findings ?? []));
        token = page.NextToken || undefined;
      } while (token);
      return out;
    },
  };
};

/** Drains the alert queue: how many SNS messages arrived, by transition. */
export const countDelivered = async (
  world: PublishingWorld,
): Promise<{ messages: number; transitions: Record<string, number> }> => {
  const { sqs } = world.env.clients();
  const transitions: Record<string, number> = {};
  let messages = 0;
  for (;;) {
    const page = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: world.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    const got = page.Messages ?? [];
    if (got.length === 0) return { messages, transitions };
    for (const m of got) {
      const envelope = JSON.parse(m.Body ?? '{}') as { Message?: string };
      const body = JSON.parse(envelope.Message ?? '{}') as { transition?: string };
      const t = body.transition ?? 'unknown';
      transitions[t] = (transitions[t] ?? 0) + 1;
      messages += 1;
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: world.queueUrl,
        Entries: got.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
};
