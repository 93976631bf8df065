/**
 * The packaged Organization sweep definition through a second, independent reader: the Amazon States
 * Language parser of the emulator's Step Functions interpreter (moto's, from LocalStack), in the emulator's
 * virtualenv. It must read the Map as a Distributed Map with a ResultWriter and path-given concurrency and
 * failure tolerance. (Executing it needs Lambda invocations, which moto runs only in Docker: the task
 * functions are tested one by one in test/integration/functions/sweep.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { venvPython } from '../../emulator/venv.mjs';
import { generatedTemplate, type Json } from '../../unit/infra/cfn.js';

const PROBE = `
import json, sys
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
program, _ = AmazonStateLanguageParser.parse(sys.stdin.read())
states = program.states.states
sweep = states["SweepShards"]
print(json.dumps({
    "states": sorted(states),
    "map": type(sweep).__name__,
    "processor": type(sweep.iteration_component).__name__,
    "mode": sweep.iteration_component._processor_config.mode.name,
    "resultWriter": type(sweep.result_writer).__name__,
    "maxConcurrency": type(sweep.max_concurrency_decl).__name__,
    "toleratedFailure": type(sweep.tolerated_failure_percentage_decl).__name__,
    "shardStates": sorted(sweep.iteration_component._states.states),
}))
`;

describe('the packaged sweep definition, read by the emulator’s Step Functions parser', () => {
  it('is a Distributed Map with a ResultWriter, its concurrency and tolerance given by paths', () => {
    const machine = generatedTemplate().Resources.SweepStateMachine as Json;
    const definition = JSON.stringify(machine.Properties.Definition).replace(
      /\$\{(\w+)\}/g,
      (_whole, name: string) =>
        name === 'ResultsBucket'
          ? 'replguard-dev-sweep-111111111111-us-east-1'
          : name === 'MaxConcurrency' || name === 'ToleratedFailurePercentage'
            ? '10'
            : `arn:aws:lambda:us-east-1:111111111111:function:replguard-dev-${name}`,
    );
    const run = spawnSync(venvPython(), ['-c', PROBE], { input: definition, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1] ?? '{}')).toEqual({
      states: ['ListShards', 'Summarise', 'SweepShards'],
      map: 'StateMap',
      processor: 'DistributedItemProcessor',
      mode: 'Distributed',
      resultWriter: 'ResultWriter',
      maxConcurrency: 'MaxConcurrencyPath',
      toleratedFailure: 'ToleratedFailurePercentagePath',
      shardStates: ['ContinueShard', 'EvaluateShard', 'MoreOfShard', 'ShardDone', 'ShardUnfinished'],
    });
  }, 300_000);
});
