/**
 * The Organization sweep's state machine as packaged (infra/stack/sweep.yml in the osls template): its
 * definition, with the DefinitionSubstitutions CloudFormation makes, validated with asl-validator; what
 * asl-validator does not check of a Distributed Map (ExecutionType's need, the *Path settings, the
 * ResultWriter resource, Retry on the Lambda errors) asserted here; its role and schedule least privilege.
 */
import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedTemplate, type Json, type Template } from './cfn.js';

const ARN = (name: string) => `arn:aws:lambda:us-east-1:111111111111:function:replguard-dev-${name}`;

/** CloudFormation's substitution of `${Name}` in the serialised definition. */
const substitute = (definition: Json, values: Record<string, string>): Json =>
  JSON.parse(
    JSON.stringify(definition).replace(/\$\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole),
  ) as Json;

const LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

describe('the Organization sweep state machine (packaged)', () => {
  let t: Template;
  let machine: Json;
  let definition: Json;
  let map: Json;

  beforeAll(() => {
    t = generatedTemplate();
    machine = t.Resources.SweepStateMachine;
    definition = substitute(machine.Properties.Definition, {
      ListShardsFunction: ARN('sweepShards'),
      EvaluateFunction: ARN('evaluateBucket'),
      SummaryFunction: ARN('sweepSummary'),
      ResultsBucket: 'replguard-dev-sweep-111111111111-us-east-1',
      MaxConcurrency: '16',
      ToleratedFailurePercentage: '10',
    });
    map = definition.States.SweepShards;
  }, 300_000);

  it('is an object in the template (so it is in the packaged template), under condition IsOrganization', () => {
    expect(typeof machine.Properties.Definition).toBe('object');
    expect(machine.Condition).toBe('IsOrganization');
    for (const id of ['SweepSchedule', 'SweepStateMachineRole', 'SweepResultsBucket', 'SweepLogGroup'])
      expect(t.Resources[id]?.Condition, id).toBe('IsOrganization');
    expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual(
      [
        'EvaluateFunction',
        'ListShardsFunction',
        'MaxConcurrency',
        'ResultsBucket',
        'SummaryFunction',
        'ToleratedFailurePercentage',
      ].sort(),
    );
  });

  it('is valid Amazon States Language (asl-validator), substitutions made', () => {
    const { isValid, errorsText } = aslValidator(definition);
    expect(isValid, errorsText('\n')).toBe(true);
    expect(JSON.stringify(definition)).not.toMatch(/\$\{/);
  });

  it('asl-validator rejects a broken Distributed Map (so the check above means something)', () => {
    const broken = structuredClone(definition);
    broken.States.SweepShards.ItemProcessor.ProcessorConfig = { Mode: 'DISTRIBUTED' };
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('lists shards, maps them with a Distributed Map of STANDARD children, then summarises', () => {
    expect(definition.StartAt).toBe('ListShards');
    expect(definition.States.ListShards.Next).toBe('SweepShards');
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.Next).toBe('Summarise');
    expect(definition.States.Summarise.End).toBe(true);
    expect(definition.States.Summarise.Parameters.Payload).toEqual({
      'shards.$': '$.shardCount',
      'accounts.$': '$.accounts',
      'results.$': '$.results',
    });
  });

  // asl-validator accepts any reference path and any Resource: what it cannot know is asserted here.
  it('takes its concurrency and failure tolerance from the stack parameters, as numbers', () => {
    expect(map.MaxConcurrencyPath).toBe('$.maxConcurrency');
    expect(map.ToleratedFailurePercentagePath).toBe('$.toleratedFailurePercentage');
    expect(definition.States.ListShards.ResultSelector).toMatchObject({
      'maxConcurrency.$': "States.StringToJson('16')",
      'toleratedFailurePercentage.$': "States.StringToJson('10')",
    });
    expect(t.Parameters.SweepMaxConcurrency).toMatchObject({ Type: 'Number', MinValue: 1 });
    expect(t.Parameters.SweepToleratedFailurePercentage).toMatchObject({ MinValue: 0, MaxValue: 100 });
  });

  it('writes the Map results to S3 (the state keeps only the manifest location, under 256 KiB)', () => {
    expect(map.ResultWriter).toEqual({
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: 'replguard-dev-sweep-111111111111-us-east-1', Prefix: 'sweeps' },
    });
    expect(map.ResultPath).toBe('$.results');
  });

  it('hands each item evaluateBucket as a versioned shard event', () => {
    expect(map.ItemSelector).toEqual({
      replguardSweep: {
        version: 1,
        'accountId.$': '$$.Map.Item.Value.accountId',
        'region.$': '$$.Map.Item.Value.region',
      },
    });
    const evaluate = map.ItemProcessor.States.EvaluateShard;
    expect(evaluate.Parameters.FunctionName).toBe(ARN('evaluateBucket'));
    expect(evaluate.OutputPath).toBe('$.Payload');
  });

  it('retries each shard with backoff on Lambda and throttling errors, then the shard once more later', () => {
    const retry = map.ItemProcessor.States.EvaluateShard.Retry as Json[];
    expect(retry[0].ErrorEquals).toEqual(LAMBDA_ERRORS);
    expect(retry[0].BackoffRate).toBeGreaterThan(1);
    expect(retry[1].ErrorEquals).toEqual(['States.TaskFailed']);
    for (const task of [definition.States.ListShards, definition.States.Summarise])
      expect(task.Retry[0].ErrorEquals).toEqual(LAMBDA_ERRORS);
  });

  it('continues a shard that ran out of time, at most 20 invocations', () => {
    const states = map.ItemProcessor.States;
    expect(states.MoreOfShard.Choices[0]).toEqual({
      And: [
        { Variable: '$.next', IsPresent: true },
        { Variable: '$.invocations', NumericLessThan: 20 },
      ],
      Next: 'ContinueShard',
    });
    expect(states.ContinueShard).toMatchObject({ Type: 'Pass', InputPath: '$.next', Next: 'EvaluateShard' });
    expect(states.MoreOfShard.Choices[1].Next).toBe('ShardUnfinished');
    expect(states.ShardUnfinished.Type).toBe('Fail');
  });

  it('its role invokes exactly the three task functions and runs its own child executions', () => {
    const statements = t.Resources.SweepStateMachineRole!.Properties.Policies[0].PolicyDocument
      .Statement as Json[];
    const sid = (id: string) => statements.find((s) => s.Sid === id);
    expect(sid('InvokeSweepTasks').Resource).toEqual([
      { 'Fn::GetAtt': ['SweepShardsLambdaFunction', 'Arn'] },
      { 'Fn::GetAtt': ['EvaluateBucketLambdaFunction', 'Arn'] },
      { 'Fn::GetAtt': ['SweepSummaryLambdaFunction', 'Arn'] },
    ]);
    expect(sid('StartChildExecutions').Action).toBe('states:StartExecution');
    expect(JSON.stringify(sid('StartChildExecutions').Resource)).toContain(
      ':stateMachine:replguard-${Stage}-sweep',
    );
    expect(sid('FollowChildExecutions').Action).toEqual(['states:DescribeExecution', 'states:StopExecution']);
    expect(JSON.stringify(sid('FollowChildExecutions').Resource)).toContain(
      ':execution:replguard-${Stage}-sweep/*',
    );
    expect(JSON.stringify(sid('WriteMapRunResults').Resource)).toContain('/sweeps/*');
    expect(
      machine.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn,
    ).toEqual({
      'Fn::GetAtt': ['SweepLogGroup', 'Arn'],
    });
  });

  it('is started by a schedule at SweepRate, with the SweepRegions as ListShards input', () => {
    const schedule = t.Resources.SweepSchedule!.Properties;
    expect(schedule.ScheduleExpression).toEqual({ Ref: 'SweepRate' });
    expect(schedule.Target.Arn).toEqual({ Ref: 'SweepStateMachine' });
    const start = t.Resources.SweepSchedulerRole!.Properties.Policies[0].PolicyDocument.Statement;
    expect(start).toEqual([
      {
        Sid: 'StartSweep',
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: { Ref: 'SweepStateMachine' },
      },
    ]);
  });

  it('gives the task functions only what they alone do', () => {
    const policy = (role: string) =>
      JSON.stringify(t.Resources[role]!.Properties.Policies[0].PolicyDocument.Statement);
    expect(policy('SweepShardsRole')).toContain('organizations:ListAccounts');
    expect(t.Resources.SweepShardsRole!.Properties.ManagedPolicyArns).toBeUndefined();
    expect(policy('SweepSummaryRole')).toContain('s3:GetObject');
    expect(policy('SweepSummaryRole')).toContain('-sweep-');
  });

  it.each([
    ['SweepAccountsUnreachableAlarm', 'SweepAccountsUnreachable'],
    ['SweepShardsFailedAlarm', 'SweepShardsFailed'],
  ])('%s alerts the findings topic on the %s metric sweepSummary emits', async (alarm, metric) => {
    const { MetricName } = await import('../../../shared/middleware/observability.js');
    const props = t.Resources[alarm]!.Properties;
    expect(t.Resources[alarm]!.Condition).toBe('IsOrganization');
    expect(Object.values(MetricName)).toContain(metric);
    expect(props.MetricName).toBe(metric);
    // the dimensions Powertools adds: the service name of every function, and the function's own name
    expect(props.Namespace).toBe(
      t.Resources.SweepSummaryLambdaFunction!.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE,
    );
    expect(props.Dimensions).toEqual([
      {
        Name: 'service',
        Value:
          t.Resources.SweepSummaryLambdaFunction!.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME,
      },
      { Name: 'function', Value: 'sweepSummary' },
    ]);
    expect(props.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(props.Threshold).toBe(0);
    expect(props.AlarmActions).toEqual([{ Ref: 'FindingsTopic' }]);
  });
});
