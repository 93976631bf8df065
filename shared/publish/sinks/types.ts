/**
 * Sinks: where published findings go. One interface for every output, one file per sink (this folder), and
 * a registry (index.ts) that builds the sinks a configuration switches on. The pipeline (../pipeline.ts)
 * plans transitions once and hands every sink the same items:
 *
 * - a **state** sink records findings and is where the previous state is read back from (Security Hub);
 *   it runs first, so an alert is only sent for a transition that was recorded;
 * - **alert** sinks announce transitions (SNS alert, chat, PagerDuty);
 * - an **action** sink acts on recorded transitions before the alerts go out, and may add a note to a
 *   finding's alert (the automatic backfill names the job it started);
 * - an **evaluation** sink reports per-bucket compliance for an AWS Config rule invocation.
 */
import type { ClientFactory } from '../../aws/clientFactory.js';
import type {
  Outcome,
  PendingAlert,
  PreviousFinding,
  ResolveScope,
  Transition,
} from '../../findings/lifecycle.js';
import type { RuleResult } from '../../model/result.js';
import type { ConfigEvaluation } from '../configEvaluations.js';
import type { FailedItem } from '../errors.js';
import type { Timer } from '../throttle.js';

/** One finding of a publish, with what the lifecycle decided for it. */
export interface FindingItem {
  readonly id: string;
  /** The result, redacted (object keys hashed). */
  readonly result: RuleResult;
  readonly outcome: Outcome;
  /** The transition to announce, or null. */
  readonly transition: Transition | null;
  readonly previous?: PreviousFinding;
  /** The `UpdatedAt` of this write (always later than the stored one). */
  readonly updatedAt: string;
  /** True when the state sink must (re-)record it. */
  readonly write: boolean;
  /** Only these alert sinks get its transition (an alert owed from an earlier publish); all when absent. */
  readonly alertSinks?: readonly string[];
  /** Record it as owing this alert (set after an alert sink failed). */
  readonly alertPending?: PendingAlert;
  /** A workflow change the state sink makes after recording it (a risk exception begins or ends). */
  readonly workflow?: { readonly status: 'SUPPRESSED' | 'NEW'; readonly note: string };
}

/** What a finding sink is handed: the findings of one account and Region. */
export interface FindingDelivery {
  /** The Region the findings belong to (the source buckets' Region). */
  readonly region: string;
  /** ReplGuard's own account. */
  readonly home: string;
  /**
   * The account the findings belong to (the source buckets' owner), where the state sink records them; `home`
   * when absent. Alert, action and evaluation sinks still act in ReplGuard's own account.
   */
  readonly accountId?: string;
  readonly items: readonly FindingItem[];
  /** True when a state sink recorded the findings (alerts can link to them). */
  readonly recorded: boolean;
  /** Region of a destination bucket, when the caller knows it. */
  readonly regionOf?: (bucket: string) => string | undefined;
}

export interface SinkOutcome {
  /** Ids of the findings delivered. */
  readonly delivered: readonly string[];
  /** What was not, after retries (`id` names the finding, prefixed by the sink for alert sinks). */
  readonly failed: readonly FailedItem[];
  /** Messages or events sent (alert sinks). */
  readonly messages?: number;
  /** What the receiving system answered, per finding, in its own words (`replguard alert test` prints them). */
  readonly answers?: readonly SinkAnswer[];
}

export interface SinkAnswer {
  readonly findingId: string;
  /** What was sent (`trigger`, `resolve`, `alert`, `chat`, `import`). */
  readonly action: string;
  readonly accepted: boolean;
  /** E.g. `HTTP 202: success: Event processed`, or an SNS message id. */
  readonly detail: string;
}

/** Where sinks log (the functions' Powertools logger; the CLI's stderr). Never given secrets or object keys. */
export interface SinkLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A finding as stored by the state sink. */
export interface StoredFinding {
  readonly previous: PreviousFinding;
  /**
   * A result standing in for it, to resolve it: NOT_APPLICABLE when a complete evaluation no longer reports
   * it, COMPLIANT when its rule says it resolved (a runtime incident gone quiet).
   */
  readonly rebuild: (reason: string, status?: 'COMPLIANT' | 'NOT_APPLICABLE') => RuleResult;
}

export interface FindingSink {
  readonly name: string;
  readonly role: 'state' | 'alert';
  deliver(delivery: FindingDelivery): Promise<SinkOutcome>;
}

/** What the previous state is read for: the results' ids and source buckets, and a resolve scope. */
export interface StateQuery {
  readonly region: string;
  readonly home: string;
  /** The account whose stored findings are read (the source buckets' owner); `home` when absent. */
  readonly accountId?: string;
  readonly ids: readonly string[];
  /** The source buckets of those results. */
  readonly buckets: readonly string[];
  readonly scope?: ResolveScope;
  /** ACTIVE findings in this scope are returned too, without being resolved for their absence (runtime incidents to reassess). */
  readonly watch?: ResolveScope;
}

/** What an action sink adds to one finding's alert: a sentence for the message, and details. */
export interface AlertNote {
  readonly sentence: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface ActionSink {
  readonly name: string;
  readonly role: 'action';
  deliver(
    delivery: FindingDelivery,
  ): Promise<SinkOutcome & { readonly notes?: ReadonlyMap<string, AlertNote> }>;
}

export interface StateSink extends FindingSink {
  readonly role: 'state';
  /** The stored findings among `ids`, plus every ACTIVE one inside `scope`, keyed by id. */
  read(query: StateQuery): Promise<ReadonlyMap<string, StoredFinding>>;
}

/** The Config evaluations of one Config rule invocation. */
export interface EvaluationDelivery {
  readonly resultToken: string;
  readonly evaluations: readonly ConfigEvaluation[];
}

export interface EvaluationSink {
  readonly name: string;
  readonly role: 'evaluation';
  deliver(delivery: EvaluationDelivery): Promise<SinkOutcome>;
}

export type Sink = FindingSink | StateSink | ActionSink | EvaluationSink;

/**
 * Which sinks run: from the environment (shared/runtime/config.ts), stack parameters, or CLI flags. A new
 * sink adds its setting here.
 */
export interface SinkSettings {
  /** Record findings in Security Hub and read the previous state from it (default on). */
  readonly securityHub: boolean;
  /** SNS topic for one JSON alert per transition (`REPLGUARD_FINDINGS_TOPIC_ARN`, `--topic-arn`). */
  readonly topicArn?: string;
  /** SNS topic an AWS Chatbot channel subscribes to: one custom notification per transition (`REPLGUARD_CHAT_TOPIC_ARN`, `--chat-topic-arn`). */
  readonly chatTopicArn?: string;
  /** Secrets Manager secret holding the PagerDuty Events API v2 routing key (`REPLGUARD_PAGERDUTY_SECRET_ARN`, `--pagerduty-secret-arn`). */
  readonly pagerDutySecretArn?: string;
  /** Severities that page (`REPLGUARD_PAGERDUTY_SEVERITIES`, default CRITICAL and HIGH). */
  readonly pagerDutySeverities?: readonly string[];
  /** Queue for PagerDuty events that still fail after retries (`REPLGUARD_PAGERDUTY_DLQ_URL`). */
  readonly pagerDutyDlqUrl?: string;
  /**
   * Batch Operations role for the automatic backfill: when a `replication_operations_failing` incident resolves,
   * a Batch Replication job copies its FAILED objects (`REPLGUARD_AUTO_BACKFILL_ROLE_ARN`; off when unset).
   */
  readonly backfillRoleArn?: string;
  /** Bucket for the automatic backfill's completion reports (`REPLGUARD_BACKFILL_REPORT_BUCKET`). */
  readonly backfillReportBucket?: string;
}

/** What a sink is built with. */
export interface SinkEnvironment {
  readonly factory: ClientFactory;
  readonly logger?: SinkLogger;
  /** Sleeps between retries (tests pass a fast one). */
  readonly timer?: Timer;
}

/** Where a sink's setting comes from: its field, the functions' environment variable, the CLI flag. */
export interface SinkSetting {
  readonly key: keyof SinkSettings;
  /** `REPLGUARD_*` variable the stack sets from its parameter (a public contract: names only grow). */
  readonly env: string;
  /** `replguard scan --publish` flag (without `--`), when the CLI offers it. */
  readonly flag?: string;
  /** A switch (on unless "off", "false", "0" or "no"), a text such as a topic ARN, or a comma-separated list. */
  readonly kind: 'switch' | 'text' | 'list';
  /** One line for `--help` and the docs. */
  readonly help: string;
}

/** One entry of the registry: builds its sink when the settings switch it on. */
export interface SinkDefinition {
  readonly name: string;
  readonly settings?: readonly SinkSetting[];
  readonly create: (settings: SinkSettings, env: SinkEnvironment) => Sink | undefined;
}

export const isStateSink = (sink: Sink): sink is StateSink => sink.role === 'state';
export const isAlertSink = (sink: Sink): sink is FindingSink => sink.role === 'alert';
export const isEvaluationSink = (sink: Sink): sink is EvaluationSink => sink.role === 'evaluation';
export const isActionSink = (sink: Sink): sink is ActionSink => sink.role === 'action';
