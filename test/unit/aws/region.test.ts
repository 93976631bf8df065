/**
 * The Region a command uses is the one the AWS SDK resolves: --region, AWS_REGION, the profile's region,
 * then (ReplGuard's fallback) AWS_DEFAULT_REGION and us-east-1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveRegion } from '../../../shared/aws/region.js';

const VARS = [
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
];

describe('resolveRegion', () => {
  let dir: string;
  const saved: Record<string, string | undefined> = {};

  beforeEach(() => {
    for (const v of VARS) {
      saved[v] = process.env[v];
      delete process.env[v];
    }
    dir = mkdtempSync(join(tmpdir(), 'replguard-region-'));
    writeFileSync(
      join(dir, 'config'),
      '[default]\nregion = us-west-2\n\n[profile phi-eu]\nregion = eu-west-1\n\n[profile no-region]\noutput = json\n',
    );
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  });

  afterEach(() => {
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the region of the profile given with --profile', async () => {
    expect(await resolveRegion({ profile: 'phi-eu' })).toBe('eu-west-1');
  });

  it('uses the region of AWS_PROFILE, else of the default profile', async () => {
    expect(await resolveRegion()).toBe('us-west-2');
    process.env.AWS_PROFILE = 'phi-eu';
    expect(await resolveRegion()).toBe('eu-west-1');
  });

  it('lets --region, then AWS_REGION, win over the profile (as the SDK does)', async () => {
    process.env.AWS_REGION = 'ap-southeast-2';
    expect(await resolveRegion({ profile: 'phi-eu' })).toBe('ap-southeast-2');
    expect(await resolveRegion({ profile: 'phi-eu', region: 'ca-central-1' })).toBe('ca-central-1');
  });

  it('falls back to AWS_DEFAULT_REGION (which the SDK ignores), then us-east-1', async () => {
    process.env.AWS_DEFAULT_REGION = 'sa-east-1';
    expect(await resolveRegion({ profile: 'no-region' })).toBe('sa-east-1');
    delete process.env.AWS_DEFAULT_REGION;
    expect(await resolveRegion({ profile: 'no-region' })).toBe('us-east-1');
  });
});
