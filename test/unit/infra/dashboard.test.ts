/**
 * The CloudWatch dashboard of the generated stack (infra/stack/dashboard.yml). Its body is rendered the way
 * CloudFormation's Fn::Sub would, with placeholders for the stack's names (`<Stage>`, `<AWS::Region>`,
 * `<EvaluateBucketLambdaFunction>`, `<ReplicationEventsDLQ.QueueName>`), once per value of the conditions it
 * uses, and checked against the CloudWatch "Dashboard Body Structure and Syntax" and search expression syntax,
 * the metrics the code emits (names and dimension sets, measured from the EMF it writes), every function of
 * serverless.yml and every dead-letter queue of the stack.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorHandler } from '../../../shared/middleware/errorHandler.js';
import {
  count,
  countPublished,
  createObservability,
  MetricName,
  recordCanaryLatency,
} from '../../../shared/middleware/observability.js';
import type { Json, Template } from './cfn.js';
import { generatedTemplate, parseCfnYaml, ROOT } from './cfn.js';

/** What the widgets may be (the dashboard uses metric graphs and text only). */
const WIDGET_TYPES = ['metric', 'text'];
const TOP_LEVEL_KEYS = ['widgets', 'start', 'end', 'periodOverride', 'variables'];
const METRIC_PROPERTY_KEYS = [
  'metrics',
  'region',
  'title',
  'view',
  'stacked',
  'period',
  'stat',
  'yAxis',
  'legend',
  'liveData',
  'annotations',
  'timezone',
  'setPeriodToTimeRange',
];
/** The per-metric rendering properties of the documented metric array format. */
const RENDERING_KEYS = ['label', 'stat', 'period', 'visible', 'yAxis', 'color', 'id', 'region', 'accountId'];
const EXPRESSION_KEYS = ['expression', 'id', 'label'];
const STATISTIC = /^(SampleCount|Average|Sum|Minimum|Maximum|p\d{1,2}(\.\d+)?)$/;
const PSEUDO_PARAMETERS = [
  'AWS::Region',
  'AWS::AccountId',
  'AWS::Partition',
  'AWS::URLSuffix',
  'AWS::StackName',
];
const S3_REPLICATION_METRICS = {
  OperationsFailedReplication: 'Sum',
  ReplicationLatency: 'Maximum',
  OperationsPendingReplication: 'Maximum',
  BytesPendingReplication: 'Maximum',
} as const;
const PAIR_DIMENSIONS = ['DestinationBucket', 'RuleId', 'SourceBucket'];

let t: Template;
beforeAll(() => {
  t = generatedTemplate();
}, 300_000);
afterEach(() => vi.restoreAllMocks());

// ---------------------------------------------------------------------------------------------------------
// Rendering the body as CloudFormation would

interface Rendering {
  readonly conditions: Readonly<Record<string, boolean>>;
  readonly text: string;
  /** Every `${Name}` or `${Resource.Attribute}` the rendering resolved (variables of the map excluded). */
  readonly references: ReadonlySet<string>;
}

const dashboard = (): Json => t.Resources.ReplGuardDashboard!;
const bodySub = (): [string, Record<string, Json>] => {
  const sub = dashboard().Properties.DashboardBody['Fn::Sub'];
  return typeof sub === 'string' ? [sub, {}] : (sub as [string, Record<string, Json>]);
};

/** The conditions the body's variables depend on (their Fn::If), in the template's Conditions. */
const conditionsUsed = (value: Json): string[] => {
  if (Array.isArray(value)) return value.flatMap(conditionsUsed);
  if (value === null || typeof value !== 'object') return [];
  const own = 'Fn::If' in value ? [value['Fn::If'][0] as string] : [];
  return [...own, ...Object.values(value).flatMap(conditionsUsed)];
};

/** Fn::Sub with placeholders: `${!X}` is the literal `${X}`, `${X}` a variable, parameter, pseudo parameter or resource. */
const substitute = (
  text: string,
  vars: Record<string, Json>,
  conditions: Record<string, boolean>,
  references: Set<string>,
): string =>
  text.replace(/\$\{(!?)([^}]*)\}/g, (_m, bang: string, name: string) => {
    if (bang) return `\${${name}}`;
    if (name in vars) return resolveValue(vars[name], conditions, references);
    references.add(name);
    return `<${name}>`;
  });

/** A variable's value: Fn::If (on `conditions`), Fn::Sub, Fn::FindInMap on the partition (the aws one), Ref. */
const resolveValue = (value: Json, conditions: Record<string, boolean>, references: Set<string>): string => {
  if (typeof value === 'string') return value;
  if ('Fn::If' in value) {
    const [condition, whenTrue, whenFalse] = value['Fn::If'] as [string, Json, Json];
    if (!(condition in conditions)) throw new Error(`No value for condition ${condition}`);
    return resolveValue(conditions[condition] ? whenTrue : whenFalse, conditions, references);
  }
  if ('Fn::Sub' in value) return substitute(value['Fn::Sub'] as string, {}, conditions, references);
  if ('Fn::FindInMap' in value) {
    const [map, top, key] = value['Fn::FindInMap'] as [string, Json, string];
    expect(top).toEqual({ Ref: 'AWS::Partition' });
    return t.Mappings![map].aws[key] as string;
  }
  if ('Ref' in value) {
    references.add(value.Ref as string);
    return `<${value.Ref as string}>`;
  }
  throw new Error(`Unsupported intrinsic in the dashboard body: ${JSON.stringify(value)}`);
};

/** The body under every combination of the conditions it uses. */
const renderings = (): Rendering[] => {
  const [text, vars] = bodySub();
  const names = [...new Set(conditionsUsed(vars))];
  return Array.from({ length: 2 ** names.length }, (_, bits) => {
    const conditions = Object.fromEntries(names.map((n, i) => [n, Boolean(bits & (1 << i))]));
    const references = new Set<string>();
    return { conditions, text: substitute(text, vars, conditions, references), references };
  });
};

// ---------------------------------------------------------------------------------------------------------
// Reading the widgets

interface Expression {
  readonly expression: string;
  readonly id: string;
  readonly label?: string;
}
type MetricEntry = (string | Record<string, Json>)[];

const widgetsOf = (r: Rendering): Json[] => (JSON.parse(r.text) as { widgets: Json[] }).widgets;
const metricWidgets = (r: Rendering): Json[] => widgetsOf(r).filter((w) => w.type === 'metric');
const entries = (r: Rendering): { widget: Json; entry: MetricEntry }[] =>
  metricWidgets(r).flatMap((widget) =>
    (widget.properties.metrics as MetricEntry[]).map((entry) => ({ widget, entry })),
  );
const isExpression = (entry: MetricEntry): boolean =>
  entry.length === 1 && typeof entry[0] === 'object' && 'expression' in entry[0];
const expressions = (r: Rendering): Expression[] =>
  entries(r)
    .filter(({ entry }) => isExpression(entry))
    .map(({ entry }) => entry[0] as unknown as Expression);

/** A plain metric entry: namespace, metric name, dimensions and the statistic it is graphed with. */
const plainMetrics = (r: Rendering) =>
  entries(r)
    .filter(({ entry }) => !isExpression(entry))
    .map(({ widget, entry }) => {
      const options = typeof entry.at(-1) === 'object' ? (entry.at(-1) as Record<string, Json>) : {};
      const names = entry.filter((e): e is string => typeof e === 'string');
      const [namespace, metricName, ...dims] = names;
      const dimensions = Object.fromEntries(
        Array.from({ length: dims.length / 2 }, (_, i) => [dims[2 * i], dims[2 * i + 1]]),
      );
      return { namespace, metricName, dimensions, stat: (options.stat ?? widget.properties.stat) as string };
    });

interface Search {
  readonly namespace: string;
  readonly dimensions: string[];
  readonly terms: Record<string, string>;
  readonly statistic: string;
  readonly period: number | undefined;
  readonly query: string;
}

/** Every SEARCH('{Namespace,Dim,...} Terms', 'Statistic'[, period]) in an expression. */
const searches = (expression: string): Search[] =>
  [...expression.matchAll(/SEARCH\(\s*'\s*\{([^}]*)\}([^']*)'\s*,\s*'([^']*)'\s*(?:,\s*(\d+)\s*)?\)/g)].map(
    (m) => {
      const [namespace, ...dimensions] = m[1]!.split(',').map((s) => s.trim());
      const terms = Object.fromEntries(
        [...m[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((p) => [p[1]!, p[2]!]),
      );
      return {
        namespace: namespace!,
        dimensions,
        terms,
        statistic: m[3]!,
        period: m[4] === undefined ? undefined : Number(m[4]),
        query: `{${m[1]}}${m[2]}`,
      };
    },
  );
const allSearches = (r: Rendering): Search[] => expressions(r).flatMap((e) => searches(e.expression));

// ---------------------------------------------------------------------------------------------------------
// What the code emits, measured from its EMF output

interface Emitted {
  readonly dimensions: string[];
  readonly values: Record<string, string>[];
}

/**
 * The dimension sets each metric is emitted with: the dimensioned ones through the code paths that emit them
 * (countPublished, the error handler, the canary), every other one through `count`, as the code does.
 */
const emittedMetrics = (): Map<string, Emitted> => {
  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  const obs = createObservability('dashboardTest');
  countPublished(obs, {
    new: 1,
    changed: 1,
    resolved: 1,
    unchanged: 1,
    messagesSent: 1,
    failed: [{}],
    bySeverity: { 'new|CRITICAL': 1, 'changed|HIGH': 1, 'resolved|MEDIUM': 1 },
  });
  errorHandler(obs).onError({ error: new TypeError('boom') });
  recordCanaryLatency(obs, 'phi-prod', 4);
  obs.metrics.publishStoredMetrics();
  const out = new Map<string, Emitted>();
  const read = () => {
    for (const line of written.splice(0).join('').split('\n')) {
      if (!line.startsWith('{')) continue;
      const doc = JSON.parse(line) as Record<string, Json>;
      const directive = doc._aws?.CloudWatchMetrics?.[0];
      if (!directive) continue;
      for (const { Name } of directive.Metrics as { Name: string }[]) {
        const dimensions = [...(directive.Dimensions[0] as string[])].sort();
        const values = Object.fromEntries(dimensions.map((d) => [d, String(doc[d])]));
        const seen = out.get(Name) ?? { dimensions, values: [] };
        expect(seen.dimensions, `${Name} is emitted with one dimension set`).toEqual(dimensions);
        out.set(Name, { dimensions, values: [...seen.values, values] });
      }
    }
  };
  read();
  for (const name of Object.values(MetricName).filter((n) => !out.has(n))) count(obs, name, 1);
  obs.metrics.publishStoredMetrics();
  read();
  return out;
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });

// ---------------------------------------------------------------------------------------------------------

describe('the dashboard resource', () => {
  it('is a CloudWatch dashboard named replguard-<stage>', () => {
    expect(dashboard().Type).toBe('AWS::CloudWatch::Dashboard');
    expect(dashboard().Condition).toBeUndefined();
    expect(dashboard().Properties.DashboardName).toEqual({ 'Fn::Sub': 'replguard-${Stage}' });
  });

  it('outputs its console URL, on the console of the stack partition', () => {
    const [url, vars] = t.Outputs.DashboardUrl.Value['Fn::Sub'] as [string, Record<string, Json>];
    expect(url).toBe(
      'https://${ConsoleDomain}/cloudwatch/home?region=${AWS::Region}#dashboards:name=${ReplGuardDashboard}',
    );
    expect(vars.ConsoleDomain).toEqual({
      'Fn::FindInMap': ['ReplGuardConsole', { Ref: 'AWS::Partition' }, 'Domain'],
    });
    expect(t.Mappings!.ReplGuardConsole).toEqual({
      aws: { Domain: 'console.aws.amazon.com' },
      'aws-cn': { Domain: 'console.amazonaws.cn' },
      'aws-us-gov': { Domain: 'console.amazonaws-us-gov.com' },
    });
  });

  it('is rendered with and without the PagerDuty dead-letter queue (the only condition it depends on)', () => {
    expect(renderings().map((r) => r.conditions)).toEqual([{ HasPagerDuty: false }, { HasPagerDuty: true }]);
  });

  it('references only parameters, pseudo parameters and resources of the stack, conditional ones under their condition', () => {
    for (const r of renderings())
      for (const ref of r.references) {
        const [name, attribute] = ref.split('.');
        if (PSEUDO_PARAMETERS.includes(ref)) continue;
        if (attribute === undefined && name! in t.Parameters) continue;
        const resource = t.Resources[name!];
        expect(resource, `${ref} is a resource of the stack`).toBeDefined();
        if (resource?.Condition)
          expect(r.conditions[resource.Condition], `${ref} only when it exists`).toBe(true);
      }
  });
});

describe('the dashboard body (Dashboard Body Structure and Syntax)', () => {
  it.each([false, true])('is a JSON object with a widgets array (PagerDuty %s)', (pagerDuty) => {
    const r = renderings().find((x) => x.conditions.HasPagerDuty === pagerDuty)!;
    const body = JSON.parse(r.text) as Record<string, Json>;
    expect(TOP_LEVEL_KEYS).toEqual(expect.arrayContaining(Object.keys(body)));
    expect(body.widgets.length).toBeGreaterThan(0);
    expect(body.widgets.length).toBeLessThanOrEqual(500);
    expect(body.periodOverride).toMatch(/^(auto|inherit)$/);
    expect(body.start).toMatch(/^-P(T\d+[MH]|\d+[DWM])$/);
  });

  it('places every widget on the 24-column grid, without overlaps', () => {
    for (const r of renderings()) {
      const cells = new Set<string>();
      for (const w of widgetsOf(r)) {
        expect(WIDGET_TYPES).toContain(w.type);
        for (const k of ['x', 'y', 'width', 'height']) expect(Number.isInteger(w[k]), k).toBe(true);
        expect(w.x).toBeGreaterThanOrEqual(0);
        expect(w.x).toBeLessThanOrEqual(23);
        expect(w.y).toBeGreaterThanOrEqual(0);
        expect(w.width).toBeGreaterThanOrEqual(1);
        expect(w.x + w.width).toBeLessThanOrEqual(24);
        expect(w.height).toBeGreaterThanOrEqual(1);
        expect(w.height).toBeLessThanOrEqual(1000);
        for (let x = w.x; x < w.x + w.width; x++)
          for (let y = w.y; y < w.y + w.height; y++) {
            expect(cells.has(`${x},${y}`), `cell ${x},${y} of "${w.properties.title}"`).toBe(false);
            cells.add(`${x},${y}`);
          }
      }
    }
  });

  it('has one text widget explaining what to look at, with links', () => {
    const texts = widgetsOf(renderings()[0]!).filter((w) => w.type === 'text');
    expect(texts).toHaveLength(1);
    expect(Object.keys(texts[0].properties)).toEqual(['markdown']);
    const markdown = texts[0].properties.markdown as string;
    expect(markdown).toContain('docs/deploy.md');
    expect(markdown).toContain('docs/functions.md');
    expect(markdown).toMatch(/\]\(https:\/\/docs\.aws\.amazon\.com\/AmazonS3\/[^)]+\)/);
    expect(markdown).toContain('](https://console.aws.amazon.com/securityhub/home?region=<AWS::Region>');
    expect(markdown).not.toMatch(/<(?!AWS::Region>|Stage>)/);
  });

  it('gives every metric widget a title, the stack Region and valid defaults', () => {
    for (const w of metricWidgets(renderings()[1]!)) {
      const p = w.properties;
      expect(METRIC_PROPERTY_KEYS).toEqual(expect.arrayContaining(Object.keys(p)));
      expect(p.title).toMatch(/\S/);
      expect(p.region).toBe('<AWS::Region>');
      expect(p.stat).toMatch(STATISTIC);
      expect(p.period % 60).toBe(0);
      expect(p.metrics.length).toBeGreaterThan(0);
      expect(p.metrics.length).toBeLessThanOrEqual(500);
    }
  });

  it('writes each metric as [Namespace, MetricName, DimensionName, DimensionValue, ..., {rendering properties}]', () => {
    for (const { entry } of entries(renderings()[1]!).filter(({ entry }) => !isExpression(entry))) {
      const last = entry.at(-1);
      const options = typeof last === 'object' ? last : undefined;
      const names = options ? entry.slice(0, -1) : entry;
      expect(
        names.every((n) => typeof n === 'string' && n.length > 0 && n !== '.'),
        JSON.stringify(entry),
      ).toBe(true);
      expect(names.length % 2, JSON.stringify(entry)).toBe(0);
      if (options) expect(RENDERING_KEYS).toEqual(expect.arrayContaining(Object.keys(options)));
    }
  });

  it('writes each expression as [{expression, id, label}], ids unique in their widget and starting lowercase', () => {
    for (const w of metricWidgets(renderings()[1]!)) {
      const ids: string[] = [];
      for (const entry of w.properties.metrics as MetricEntry[]) {
        if (!isExpression(entry)) continue;
        const e = entry[0] as unknown as Expression;
        expect(EXPRESSION_KEYS).toEqual(expect.arrayContaining(Object.keys(e)));
        expect(e.id).toMatch(/^[a-z][A-Za-z0-9_]*$/);
        expect(e.label).toMatch(/\S/);
        ids.push(e.id);
      }
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('writes each search expression as documented: SEARCH or SUM(SEARCH), a metric schema, a statistic, a period', () => {
    for (const w of metricWidgets(renderings()[1]!)) {
      const exprs = (w.properties.metrics as MetricEntry[])
        .filter(isExpression)
        .map((e) => e[0] as unknown as Expression);
      expect(exprs.flatMap((e) => searches(e.expression)).length).toBeLessThanOrEqual(100);
      for (const { expression } of exprs) {
        expect(expression).toMatch(/^(SEARCH\(.*\)|SUM\(SEARCH\(.*\)\))$/);
        const found = searches(expression);
        expect(found, expression).toHaveLength(1);
        const s = found[0]!;
        for (const name of [s.namespace, ...s.dimensions]) expect(name).toMatch(/^[A-Za-z0-9/_.-]+$/);
        expect(s.terms.MetricName, expression).toBeDefined();
        expect(s.statistic).toMatch(STATISTIC);
        expect(s.period! % 60, expression).toBe(0);
        expect(s.query.length).toBeLessThanOrEqual(1024);
      }
    }
  });
});

describe('ReplGuard metrics on the dashboard', () => {
  const emitted = (() => {
    let memo: Map<string, Emitted> | undefined;
    return () => (memo ??= emittedMetrics());
  })();
  const replGuardSearches = () => allSearches(renderings()[1]!).filter((s) => s.namespace === 'ReplGuard');

  it('emits no metric outside the observability helpers, and dimensions only where the dashboard expects them', () => {
    const sources = [...sourceFiles(join(ROOT, 'shared')), ...sourceFiles(join(ROOT, 'functions'))];
    const dimensioned: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      if (!file.endsWith(join('middleware', 'observability.ts')))
        expect(text, relative(ROOT, file)).not.toMatch(/\.(addMetric|singleMetric|addDimensions?)\(/);
      for (const m of text.matchAll(/countBy\(\s*[\w.]+,\s*MetricName\.(\w+),\s*'(\w+)'/g))
        dimensioned.push(`${m[1]}/${m[2]}`);
    }
    expect([...new Set(dimensioned)].sort()).toEqual(['Failures/ErrorName', 'Findings/Transition']);
  });

  it('graphs every metric ReplGuard emits (MetricName: the contract for dashboards)', () => {
    const graphed = new Set(replGuardSearches().map((s) => s.terms.MetricName));
    expect([...graphed].sort()).toEqual(Object.values(MetricName).sort());
  });

  it('searches each one with the exact dimension set the code emits it with', () => {
    for (const s of replGuardSearches()) {
      const e = emitted().get(s.terms.MetricName!);
      expect(e, s.terms.MetricName).toBeDefined();
      expect([...s.dimensions].sort(), s.terms.MetricName).toEqual(e!.dimensions);
    }
  });

  it('filters on the service the deployed functions report (POWERTOOLS_SERVICE_NAME)', () => {
    const services = Object.values(t.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME as string);
    expect(new Set(services)).toEqual(new Set(['replguard']));
    for (const s of replGuardSearches()) expect(s.terms.service, s.query).toBe('replguard');
    for (const e of emitted().values()) for (const v of e.values) expect(v.service).toBe('replguard');
  });

  it('shows the findings that opened, changed or resolved by each severity', () => {
    const bySeverity = replGuardSearches().filter(
      (s) => s.terms.MetricName === MetricName.FindingsBySeverity,
    );
    const severities = (transition: string) =>
      bySeverity
        .filter((s) => s.query.includes(`Transition="${transition}"`))
        .map((s) => s.terms.Severity)
        .sort();
    const all = ['CRITICAL', 'HIGH', 'INFORMATIONAL', 'LOW', 'MEDIUM'];
    for (const transition of ['new', 'changed', 'resolved'])
      expect(severities(transition), transition).toEqual(all);
    expect(emitted().get(MetricName.FindingsBySeverity)?.values).toEqual([
      expect.objectContaining({ Transition: 'new', Severity: 'CRITICAL' }),
      expect.objectContaining({ Transition: 'changed', Severity: 'HIGH' }),
      expect.objectContaining({ Transition: 'resolved', Severity: 'MEDIUM' }),
    ]);
  });

  it('shows findings by each transition the code emits', () => {
    const findings = replGuardSearches().filter((s) => s.terms.MetricName === MetricName.Findings);
    const emittedTransitions = emitted()
      .get(MetricName.Findings)!
      .values.map((v) => v.Transition)
      .sort();
    expect(findings.map((s) => s.terms.Transition).sort()).toEqual(emittedTransitions);
    expect(emittedTransitions).toEqual(['changed', 'new', 'resolved', 'unchanged']);
  });

  it('names the alerts and aggregation metrics exactly as MetricName does', () => {
    const graphed = replGuardSearches().map((s) => s.terms.MetricName);
    for (const name of [
      MetricName.AlertsSent,
      MetricName.PublishFailures,
      MetricName.EventsReceived,
      MetricName.EventsAggregated,
      MetricName.Aggregates,
      MetricName.ReplicationCanaryLatency,
    ])
      expect(graphed).toContain(name);
  });
});

describe('AWS metrics of the stack on the dashboard', () => {
  it('shows Errors, Throttles and Duration (p99 and average) of every function of serverless.yml', () => {
    const service = parseCfnYaml(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as unknown as {
      functions: Record<string, unknown>;
    };
    const functions = Object.keys(service.functions);
    expect(functions.length).toBeGreaterThan(0);
    const lambda = plainMetrics(renderings()[0]!).filter((m) => m.namespace === 'AWS/Lambda');
    for (const fn of functions) {
      const logicalId = `${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`;
      expect(t.Resources[logicalId]?.Type, logicalId).toBe('AWS::Lambda::Function');
      const graphed = lambda
        .filter((m) => JSON.stringify(m.dimensions) === JSON.stringify({ FunctionName: `<${logicalId}>` }))
        .map((m) => `${m.metricName}/${m.stat}`)
        .sort();
      expect(graphed, fn).toEqual(['Duration/Average', 'Duration/p99', 'Errors/Sum', 'Throttles/Sum']);
    }
    const lambdas = Object.values(t.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(lambdas).toHaveLength(functions.length);
  });

  it('shows the depth of every dead-letter queue of the stack (every queue no function consumes), when it exists', () => {
    const consumed = Object.values(t.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')
      .map((r) => (r.Properties.EventSourceArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]);
    const dlqs = Object.entries(t.Resources)
      .filter(([id, r]) => r.Type === 'AWS::SQS::Queue' && !consumed.includes(id))
      .map(([id, r]) => ({ id, condition: r.Condition as string | undefined }));
    expect(dlqs.map((q) => q.id).sort()).toEqual([
      'AsyncFailuresQueue',
      'PagerDutyDLQ',
      'ReplicationEventsDLQ',
    ]);
    for (const r of renderings()) {
      const shown = plainMetrics(r)
        .filter((m) => m.namespace === 'AWS/SQS')
        .map((m) => {
          expect(m.metricName).toBe('ApproximateNumberOfMessagesVisible');
          expect(m.stat).toBe('Maximum');
          return m.dimensions.QueueName;
        });
      const expected = dlqs
        .filter((q) => q.condition === undefined || r.conditions[q.condition])
        .map((q) => `<${q.id}.QueueName>`);
      expect(shown.sort(), JSON.stringify(r.conditions)).toEqual(expected.sort());
    }
  });

  it.each(Object.entries(S3_REPLICATION_METRICS))(
    'searches S3 %s of every replication rule by SourceBucket, DestinationBucket and RuleId (%s)',
    (metric, statistic) => {
      const found = allSearches(renderings()[0]!).filter(
        (s) => s.namespace === 'AWS/S3' && s.terms.MetricName === metric,
      );
      expect(found).toHaveLength(1);
      expect([...found[0]!.dimensions].sort()).toEqual(PAIR_DIMENSIONS);
      expect(found[0]!.statistic).toBe(statistic);
      expect(Object.keys(found[0]!.terms)).toEqual(['MetricName']);
    },
  );

  it('labels each replication line with its pair and rule (dynamic labels, kept literal by Fn::Sub)', () => {
    const labels = expressions(renderings()[0]!)
      .filter((e) => e.expression.includes('{AWS/S3,'))
      .map((e) => e.label);
    expect(labels).toHaveLength(4);
    for (const label of labels)
      expect(label).toBe(
        "${PROP('Dim.SourceBucket')} -> ${PROP('Dim.DestinationBucket')} (${PROP('Dim.RuleId')})",
      );
  });
});
