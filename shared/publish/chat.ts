import { bucketArn } from './links.js';
import { alertLinks, alertSubject, attributesOf, type AlertInput, type OutgoingMessage } from './alert.js';
import { ruleText } from './ruleText.js';
import { truncate } from './text.js';

/** An AWS Chatbot (Amazon Q Developer in chat applications) custom notification. */
export interface ChatNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: readonly string[];
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

const ChatCaps = { title: 250, description: 3500, step: 500 } as const;

const ICON: Readonly<Record<string, string>> = {
  new: ':rotating_light:',
  changed: ':warning:',
  resolved: ':white_check_mark:',
};

/**
 * The chat notification for one transition. Chatbot reads the whole SNS message as this object, so it
 * is sent as a message of its own (attribute `format` = `chat`), never embedded in the alert body.
 * Notifications about one finding share a `threadId`, so its updates thread together.
 */
export const toChatNotification = (input: AlertInput): ChatNotification => {
  const { result, transition, findingId } = input;
  const text = ruleText(result.ruleId);
  const links = alertLinks(input);
  const subject = alertSubject(result, transition);
  const fix = result.remediation || text.remediationText;
  const lines = [
    result.message,
    '',
    `*Rule:* \`${result.ruleId}\` (${result.status}) - HIPAA ${result.hipaa.join(', ')}`,
    `*Account/Region:* ${result.accountId} / ${result.region}`,
    ...(links.securityHub ? [`*Security Hub:* ${links.securityHub}`] : []),
  ];
  const nextSteps =
    transition === 'resolved'
      ? ['Nothing to do: ReplGuard sees this as fixed.']
      : [fix, `Read more: ${text.remediationUrl}`, `Open the bucket: ${links.sourceBucket}`];
  return {
    version: '1.0',
    source: 'custom',
    id: `${findingId}#${transition}#${input.timestamp}`,
    content: {
      textType: 'client-markdown',
      title: truncate(`${ICON[transition] ?? ''} ${subject}`.trim(), ChatCaps.title),
      description: truncate(lines.join('\n'), ChatCaps.description),
      nextSteps: nextSteps.map((s) => truncate(s, ChatCaps.step)),
      keywords: [result.severity, result.ruleId, result.bucket, transition],
    },
    metadata: {
      threadId: findingId,
      summary: subject,
      eventType: `ReplGuard finding ${transition}`,
      relatedResources: [
        bucketArn(result.bucket, result.region),
        ...(result.destinationBucket ? [bucketArn(result.destinationBucket, result.region)] : []),
      ],
      additionalContext: { findingId, severity: result.severity, transition },
    },
  };
};

/** The chat notification as an SNS message. */
export const toChatMessage = (input: AlertInput): OutgoingMessage => ({
  findingId: input.findingId,
  transition: input.transition,
  format: 'chat',
  subject: alertSubject(input.result, input.transition),
  body: JSON.stringify(toChatNotification(input)),
  attributes: attributesOf(input, 'chat'),
});
