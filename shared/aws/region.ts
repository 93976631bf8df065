/**
 * The Region a command works in, resolved as the AWS SDK resolves it, so `--profile` behaves as in the AWS CLI:
 * the explicit `--region`, else `AWS_REGION`, else the `region` of the profile (`--profile`, else `AWS_PROFILE`,
 * else `default`) in the shared config file (`AWS_CONFIG_FILE`, default `~/.aws/config`). The SDK for
 * JavaScript does not read `AWS_DEFAULT_REGION`; ReplGuard falls back to it after the profile, then to us-east-1.
 */
import { STSClient } from '@aws-sdk/client-sts';

export const DEFAULT_REGION = 'us-east-1';

export interface RegionOptions {
  readonly region?: string;
  readonly profile?: string;
}

/** The Region as the SDK resolves it for `profile` (see the file comment), never failing. */
export const resolveRegion = async (
  options: RegionOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> => {
  if (options.region) return options.region;
  const client = new STSClient(options.profile ? { profile: options.profile } : {});
  try {
    const region = await client.config.region();
    if (region) return region;
  } catch {
    // "Region is missing": neither AWS_REGION nor the profile names one
  } finally {
    client.destroy();
  }
  return env.AWS_DEFAULT_REGION?.trim() || DEFAULT_REGION;
};
