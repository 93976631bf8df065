/**
 * A scan (`replguard scan`, the demo, the benchmarks): the CLI trigger's targets, judged on the shared path.
 * Publishing is a separate step (`publishScan`), so results are shown before they are published.
 */
import { type Collector, liveCollector } from '../collect/collector.js';
import type { ScanSession } from '../collect/session.js';
import type { ExceptionSet } from '../findings/exceptions.js';
import type { RuleResult } from '../model/result.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Publisher } from '../publish/pipeline.js';
import { type ScanRequest as TriggerRequest, scanTargets } from '../triggers/cli.js';
import { evaluateSnapshot } from './evaluate.js';
import { type Judgement, JudgementKind } from './judge.js';
import {
  type Judged,
  judgeWork,
  type PathContext,
  type PathOutcome,
  publishWork,
  type Work,
} from './path.js';

export { mapLimit } from '../support/concurrency.js';

export interface ScanError {
  readonly bucket: string;
  readonly code: string;
  readonly message: string;
}

export interface ScanReport {
  readonly accountId: string;
  readonly results: RuleResult[];
  /** Named buckets that do not exist. */
  readonly errors: ScanError[];
  readonly snapshots: Snapshot[];
  readonly judgements: readonly Judgement[];
  /** What publishing needs to continue the same path (see `publishScan`). */
  readonly judged: Judged;
  readonly work: Work;
  /** The risk exceptions applied, with what is wrong with them. */
  readonly exceptions: ExceptionSet;
}

export interface ScanRequest extends TriggerRequest {
  /** Called after each bucket (progress reporting). */
  readonly onProgress?: (done: number, total: number, bucket: string) => void;
  /** How many buckets are collected at once. */
  readonly concurrency?: number;
  /** The account scanned (default: the caller's); another is read through the cross-account role. */
  readonly accountId?: string;
  /** Only buckets in these Regions (`--all` targets; named buckets are kept). */
  readonly regions?: readonly string[];
}

export interface ScanOptions {
  /** Default: live reads (the index without KMS keys, which a scan does not need). */
  readonly collector?: Collector;
  readonly evaluate?: (snapshot: Snapshot) => RuleResult[];
  /** The risk exceptions to apply (none by default). */
  readonly exceptions?: () => Promise<ExceptionSet>;
}

const scanContext = (session: ScanSession, options: ScanOptions, publisher?: Publisher): PathContext => ({
  factory: session.factory,
  parameters: session.parameters,
  collector: options.collector ?? liveCollector({ indexKeys: false }),
  evaluate: options.evaluate ?? ((snapshot) => evaluateSnapshot(snapshot)),
  publisher: publisher ?? {
    sinks: [],
    home: () => session.factory.homeAccountId(),
    region: session.factory.region,
  },
  now: () => new Date(),
  session,
  ...(options.exceptions ? { exceptions: options.exceptions } : {}),
});

/** Scans buckets: the targets of the request, each scoped, collected and evaluated. Missing named buckets become errors. */
export const scan = async (
  session: ScanSession,
  request: ScanRequest,
  options: ScanOptions = {},
): Promise<ScanReport> => {
  const ctx = scanContext(session, options);
  const accountId = request.accountId ?? (await session.factory.homeAccountId());
  const regions = request.regions?.length ? new Set(request.regions) : undefined;
  const targets = (await scanTargets(ctx.collector, session, accountId, request, ctx.now().getTime())).filter(
    (t) => !regions || t.named || t.region === undefined || regions.has(t.region),
  );
  const work: Work = {
    targets,
    publish: false,
    judge: {
      concurrency: request.concurrency ?? 8,
      ...(request.onProgress
        ? { onJudged: (j, done, total) => request.onProgress?.(done, total, j.target.bucket) }
        : {}),
    },
  };
  const judged = await judgeWork(ctx, work);
  const { judgements } = judged;
  const named = (j: Judgement) => j.target.named === true;
  return {
    accountId,
    results: [...judged.results],
    errors: judgements
      .filter((j) => j.kind === JudgementKind.Gone && named(j))
      .map((j) => ({ bucket: j.target.bucket, code: j.code ?? 'BUCKET_NOT_FOUND', message: j.reason ?? '' })),
    snapshots: judgements.flatMap((j) =>
      j.kind === JudgementKind.Evaluated && j.snapshot ? [j.snapshot] : [],
    ),
    judgements,
    judged,
    work,
    exceptions: judged.exceptions,
  };
};

/** Publishes a scan through `publisher` (the same path the functions take from here on). */
export const publishScan = (
  session: ScanSession,
  report: ScanReport,
  publisher: Publisher,
  options: ScanOptions = {},
): Promise<PathOutcome> =>
  publishWork(scanContext(session, options, publisher), { ...report.work, publish: true }, report.judged);
