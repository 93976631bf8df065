import { ConfigServiceClient, PutEvaluationsCommand, type Evaluation } from '@aws-sdk/client-config-service';
import type { ClientFactory } from '../aws/clientFactory.js';
import { ServiceId } from '../aws/endpoint.js';
import { awsErrorCode } from '../aws/errors.js';
import { isActiveStatus } from '../findings/lifecycle.js';
import { SEVERITY_ORDER, type RuleResult } from '../model/result.js';
import { ConfigEvaluationsError } from './errors.js';
import { truncateUtf8 } from './text.js';

/** One AWS Config evaluation of one bucket. */
export type ConfigEvaluation = Evaluation & {
  ComplianceResourceType: 'AWS::S3::Bucket';
  ComplianceResourceId: string;
  ComplianceType: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';
  OrderingTimestamp: Date;
};

/** PutEvaluations: at most 100 evaluations a call; annotations at most 256 characters. */
export const ConfigLimits = { batch: 100, annotation: 256 } as const;

/** How many failing rule ids the annotation names before "+N more". */
const NAMED_RULES = 3;

/** Most severe first; at equal severity NON_COMPLIANT before UNKNOWN (a known fix before a missing permission). */
const bySeverity = (a: RuleResult, b: RuleResult): number =>
  SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
  Number(a.status === 'UNKNOWN') - Number(b.status === 'UNKNOWN');

const annotationFor = (failing: readonly RuleResult[]): string => {
  const accepted = failing.filter((r) => r.exception?.status === 'active');
  if (accepted.length > 0 && accepted.length === failing.length) return exceptedAnnotation(accepted);
  const ids = [...new Set(failing.map((r) => r.ruleId))];
  const named = ids.slice(0, NAMED_RULES).join(', ');
  const more = ids.length > NAMED_RULES ? ` +${ids.length - NAMED_RULES} more` : '';
  const unknown = failing.some((r) => r.status === 'UNKNOWN');
  const first = failing[0];
  const fix = first?.remediation ? ` Fix first: ${first.remediation}` : '';
  const closed = unknown ? ' (UNKNOWN counts as failing: fail closed)' : '';
  const except = accepted.length > 0 ? ` (${new Set(accepted.map((r) => r.ruleId)).size} excepted)` : '';
  return truncateUtf8(`Failing: ${named}${more}${closed}${except}.${fix}`, ConfigLimits.annotation);
};

/** Every failure of the bucket is a risk accepted: say so, until when and by whom. */
const exceptedAnnotation = (accepted: readonly RuleResult[]): string => {
  const ids = [...new Set(accepted.map((r) => r.ruleId))].join(', ');
  const until = accepted.map((r) => r.exception?.expires ?? '').sort()[0];
  const owners = [...new Set(accepted.map((r) => r.exception?.owner ?? ''))].join(', ');
  return truncateUtf8(
    `Excepted until ${until} (risk accepted by ${owners}): ${ids}. ${accepted[0]?.exception?.justification ?? ''}`,
    ConfigLimits.annotation,
  );
};

/**
 * The Config evaluation of one bucket from its results: NOT_APPLICABLE when out of scope; NON_COMPLIANT
 * when any rule is NON_COMPLIANT or UNKNOWN (Config has no "unknown": fail closed and say so), or when an
 * in-scope bucket has no results at all; COMPLIANT otherwise. The annotation (≤256 characters and bytes,
 * never splitting a character) names the most severe failing rule ids and the first fix.
 */
export const toConfigEvaluation = (
  bucket: string,
  results: readonly RuleResult[],
  opts: { orderingTimestamp: Date; inScope: boolean },
): ConfigEvaluation => {
  const base = {
    ComplianceResourceType: 'AWS::S3::Bucket' as const,
    ComplianceResourceId: bucket,
    OrderingTimestamp: opts.orderingTimestamp,
  };
  if (!opts.inScope)
    return {
      ...base,
      ComplianceType: 'NOT_APPLICABLE',
      Annotation: 'Out of ReplGuard scope: no replication configuration and no scope tag.',
    };
  const own = results.filter((r) => r.bucket === bucket);
  if (own.length === 0)
    return {
      ...base,
      ComplianceType: 'NON_COMPLIANT',
      Annotation: 'No ReplGuard results for this in-scope bucket (fail closed); check the evaluation logs.',
    };
  const failing = own.filter((r) => isActiveStatus(r.status)).sort(bySeverity);
  if (failing.length === 0)
    return {
      ...base,
      ComplianceType: 'COMPLIANT',
      Annotation: `All ${new Set(own.map((r) => r.ruleId)).size} ReplGuard rules pass or do not apply.`,
    };
  return { ...base, ComplianceType: 'NON_COMPLIANT', Annotation: annotationFor(failing) };
};

/**
 * Sends evaluations with PutEvaluations in batches of ≤100 under `resultToken`. Evaluations Config
 * returns as failed are sent once more; if any still fail, or a call fails, throws ConfigEvaluationsError
 * naming the buckets whose evaluations were not accepted.
 */
export const putEvaluations = async (
  factory: ClientFactory,
  resultToken: string,
  evaluations: ConfigEvaluation[],
): Promise<void> => {
  const config = factory.client(ConfigServiceClient, ServiceId.Config);
  const notAccepted: string[] = [];
  let firstError: unknown;
  for (let i = 0; i < evaluations.length; i += ConfigLimits.batch) {
    let batch = evaluations.slice(i, i + ConfigLimits.batch);
    for (let attempt = 1; attempt <= 2 && batch.length > 0; attempt++) {
      try {
        const out = await config.send(
          new PutEvaluationsCommand({ ResultToken: resultToken, Evaluations: batch }),
        );
        const failedIds = new Set((out.FailedEvaluations ?? []).map((e) => e.ComplianceResourceId));
        batch = batch.filter((e) => failedIds.has(e.ComplianceResourceId));
      } catch (error) {
        firstError ??= error;
        if (awsErrorCode(error) === 'InvalidResultTokenException') break;
      }
    }
    notAccepted.push(...batch.map((e) => e.ComplianceResourceId));
  }
  if (notAccepted.length > 0) {
    const why = firstError
      ? `: ${awsErrorCode(firstError) ?? 'Error'}: ${(firstError as Error).message}`
      : '';
    throw new ConfigEvaluationsError(
      `AWS Config did not accept the evaluations of ${notAccepted.length} bucket(s): ${notAccepted.slice(0, 10).join(', ')}${why}`,
      notAccepted,
      { cause: firstError },
    );
  }
};
