import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

/**
 * scripts/patch-iam-simulate.mjs makes iam-simulate 0.1.173 honour colon-style variable
 * context keys (`kms:EncryptionContext:${EncryptionContextKey}`), which AWS's own S3
 * replication policies use. Without the patch the key is ignored and the conditions fail.
 */

const ACCOUNT = '111111111111';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/replication`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const VIA_S3 = 's3.us-east-1.amazonaws.com';
const SCRIPT = fileURLToPath(new URL('../../../scripts/patch-iam-simulate.mjs', import.meta.url));

const keyPolicy = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
  ],
};

function decryptSimulation(
  condition: Record<string, Record<string, string | string[]>>,
  encryptionContextArn: string,
): Simulation {
  return {
    request: {
      principal: ROLE,
      action: 'kms:Decrypt',
      resource: { resource: KEY, accountId: ACCOUNT },
      contextVariables: {
        'kms:ViaService': VIA_S3,
        'kms:EncryptionContext:aws:s3:arn': encryptionContextArn,
      },
    },
    identityPolicies: [
      {
        name: 'replication',
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY, Condition: condition }],
        },
      },
    ],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: keyPolicy,
  };
}

const objectCondition = {
  StringLike: { 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::src/*'] },
};
const bucketKeyCondition = {
  StringEquals: { 'kms:ViaService': VIA_S3, 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::src' },
};

async function simulate(simulation: Simulation) {
  const result = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (result.resultType !== 'single') throw new Error(`unexpected result: ${JSON.stringify(result)}`);
  return result;
}

describe('patch-iam-simulate: kms:EncryptionContext:* context keys', () => {
  it('allows the S3 replication reproduction (StringLike on the object ARN)', async () => {
    const result = await simulate(decryptSimulation(objectCondition, 'arn:aws:s3:::src/a.pdf'));
    expect(result.result.ignoredContextKeys).toEqual([]);
    expect(result.overallResult).toBe('Allowed');
  });

  it('does not allow an object outside the permitted bucket', async () => {
    const result = await simulate(decryptSimulation(objectCondition, 'arn:aws:s3:::other/a.pdf'));
    expect(result.result.ignoredContextKeys).toEqual([]);
    expect(result.overallResult).toBe('ImplicitlyDenied');
  });

  it('handles the S3 Bucket Key case (StringEquals on the bucket ARN)', async () => {
    const bucket = await simulate(decryptSimulation(bucketKeyCondition, 'arn:aws:s3:::src'));
    expect(bucket.overallResult).toBe('Allowed');
    const object = await simulate(decryptSimulation(bucketKeyCondition, 'arn:aws:s3:::src/a.pdf'));
    expect(object.overallResult).toBe('ImplicitlyDenied');
  });

  it('matches the key prefix case-insensitively', async () => {
    const simulation = decryptSimulation(objectCondition, 'unused');
    simulation.request.contextVariables = {
      'kms:ViaService': VIA_S3,
      'KMS:encryptioncontext:aws:s3:arn': 'arn:aws:s3:::src/a.pdf',
    };
    expect((await simulate(simulation)).overallResult).toBe('Allowed');
  });

  it('patches the CommonJS build as well', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require('@cloud-copilot/iam-simulate') as { runSimulation: typeof runSimulation };
    const result = await cjs.runSimulation(decryptSimulation(objectCondition, 'arn:aws:s3:::src/a.pdf'), {
      simulationMode: 'Strict',
    });
    expect(result).toMatchObject({ resultType: 'single', overallResult: 'Allowed' });
  });

  it('is idempotent: running the script twice succeeds silently', () => {
    for (let run = 0; run < 2; run++) {
      const { status, stdout, stderr } = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
      expect(stderr).toBe('');
      expect(stdout).toBe('');
      expect(status).toBe(0);
    }
  });
});
