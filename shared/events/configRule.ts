/**
 * AWS Config custom Lambda rule invocations (https://docs.aws.amazon.com/config/latest/developerguide/
 * evaluate-config_develop-rules_example-events.html): the event carries `invokingEvent` and
 * `ruleParameters` as JSON text; `invokingEvent.messageType` says which of the three shapes it is.
 */
import { z } from 'zod';
import type { ScanParameters } from '../model/snapshot.js';
import { describeIssues, EventError, EventErrorCode, parseJsonText } from './errors.js';
import { parseRuleParameters } from './parameters.js';

export const ConfigMessageType = {
  Change: 'ConfigurationItemChangeNotification',
  Oversized: 'OversizedConfigurationItemChangeNotification',
  Scheduled: 'ScheduledNotification',
} as const;

/** Where a scheduled evaluation that ran out of time continues (set by ReplGuard when it re-invokes itself). */
export const continuationSchema = z.object({
  /** Every bucket whose name sorts at or before this one was evaluated already. */
  startAfter: z.string().min(1),
  /** How many times the run has continued (bounded, so a defect cannot loop forever). */
  hop: z.number().int().min(1),
  correlationId: z.string().min(1),
});
export type Continuation = z.infer<typeof continuationSchema>;

/** The Lambda event AWS Config sends. */
export const configRuleEventSchema = z.looseObject({
  invokingEvent: z.string().min(1),
  ruleParameters: z.string().optional().nullable(),
  resultToken: z.string().min(1),
  eventLeftScope: z.boolean().optional().default(false),
  executionRoleArn: z.string().optional(),
  configRuleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:config:[a-z0-9-]+:\d{12}:config-rule\//, 'must be a Config rule ARN'),
  configRuleName: z.string().min(1),
  configRuleId: z.string().optional(),
  accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit account id'),
  version: z.string().optional(),
  evaluationMode: z.string().optional(),
  replguardContinuation: continuationSchema.optional(),
});
export type ConfigRuleEvent = z.input<typeof configRuleEventSchema>;

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');

const changeSchema = z.looseObject({
  messageType: z.literal(ConfigMessageType.Change),
  configurationItem: z.looseObject({
    resourceType: z.string().min(1),
    resourceId: z.string().min(1),
    configurationItemStatus: z.string().optional(),
    configurationItemCaptureTime: isoTime.optional(),
  }),
  notificationCreationTime: isoTime,
});

const oversizedSchema = z.looseObject({
  messageType: z.literal(ConfigMessageType.Oversized),
  configurationItemSummary: z.looseObject({
    resourceType: z.string().min(1),
    resourceId: z.string().min(1),
    resourceName: z.string().optional(),
    awsAccountId: z.string().optional(),
    awsRegion: z.string().optional(),
    configurationItemStatus: z.string().optional(),
    configurationItemCaptureTime: isoTime.optional(),
  }),
  notificationCreationTime: isoTime,
});

const scheduledSchema = z.looseObject({
  messageType: z.literal(ConfigMessageType.Scheduled),
  awsAccountId: z.string().optional(),
  notificationCreationTime: isoTime,
});

const invokingEventSchema = z.discriminatedUnion('messageType', [
  changeSchema,
  oversizedSchema,
  scheduledSchema,
]);

/** What every invocation carries. */
export interface ConfigInvocationBase {
  readonly resultToken: string;
  readonly eventLeftScope: boolean;
  readonly parameters: ScanParameters;
  readonly ruleName: string;
  readonly ruleArn: string;
  /** The Region of the rule (from its ARN): evaluations are reported there. */
  readonly region: string;
  readonly accountId: string;
  readonly notificationTime: Date;
}

/** A resource changed; `item` is the configuration item as Config sent it. */
export interface ChangeInvocation extends ConfigInvocationBase {
  readonly kind: 'change';
  readonly resourceType: string;
  readonly resourceId: string;
  readonly item: Readonly<Record<string, unknown>>;
  /** The item's capture time (Config's `OrderingTimestamp`), or the notification time. */
  readonly orderingTimestamp: Date;
}

/** A resource changed but its item was too large for the event: fetch it with GetResourceConfigHistory. */
export interface OversizedInvocation extends ConfigInvocationBase {
  readonly kind: 'oversized';
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly status?: string;
  readonly orderingTimestamp: Date;
}

/** The periodic trigger: evaluate every in-scope bucket of the account. */
export interface ScheduledInvocation extends ConfigInvocationBase {
  readonly kind: 'scheduled';
  readonly orderingTimestamp: Date;
  readonly continuation?: Continuation;
  /** The event as received, so a run that runs out of time can hand it on with a continuation. */
  readonly event: Readonly<Record<string, unknown>>;
}

export type ConfigInvocation = ChangeInvocation | OversizedInvocation | ScheduledInvocation;

/**
 * Validates and decodes a Config rule invocation (`invokingEvent` and `ruleParameters` JSON included).
 * Throws {@link EventError}: `INVALID_EVENT` for a malformed event, `INVALID_RULE_PARAMETERS` for bad parameters.
 */
export const parseConfigRuleEvent = (event: unknown): ConfigInvocation => {
  const outer = configRuleEventSchema.safeParse(event);
  if (!outer.success)
    throw new EventError(
      'Not an AWS Config rule invocation',
      EventErrorCode.InvalidEvent,
      describeIssues(outer.error),
    );
  const e = outer.data;
  const inner = invokingEventSchema.safeParse(parseJsonText(e.invokingEvent, 'invokingEvent'));
  if (!inner.success)
    throw new EventError(
      'Unsupported AWS Config invokingEvent',
      EventErrorCode.InvalidEvent,
      describeIssues(inner.error, 'invokingEvent'),
    );
  const base: ConfigInvocationBase = {
    resultToken: e.resultToken,
    eventLeftScope: e.eventLeftScope,
    parameters: parseRuleParameters(e.ruleParameters),
    ruleName: e.configRuleName,
    ruleArn: e.configRuleArn,
    region: e.configRuleArn.split(':')[3] ?? '',
    accountId: e.accountId,
    notificationTime: new Date(inner.data.notificationCreationTime),
  };
  const data = inner.data;
  switch (data.messageType) {
    case ConfigMessageType.Change: {
      const item = data.configurationItem;
      const captured = item.configurationItemCaptureTime;
      return {
        ...base,
        kind: 'change',
        resourceType: item.resourceType,
        resourceId: item.resourceId,
        item,
        orderingTimestamp: captured ? new Date(captured) : base.notificationTime,
      };
    }
    case ConfigMessageType.Oversized: {
      const s = data.configurationItemSummary;
      return {
        ...base,
        kind: 'oversized',
        resourceType: s.resourceType,
        resourceId: s.resourceId,
        ...(s.resourceName ? { resourceName: s.resourceName } : {}),
        ...(s.configurationItemStatus ? { status: s.configurationItemStatus } : {}),
        orderingTimestamp: s.configurationItemCaptureTime
          ? new Date(s.configurationItemCaptureTime)
          : base.notificationTime,
      };
    }
    case ConfigMessageType.Scheduled:
      return {
        ...base,
        kind: 'scheduled',
        orderingTimestamp: base.notificationTime,
        ...(e.replguardContinuation ? { continuation: e.replguardContinuation } : {}),
        event: e,
      };
  }
};
