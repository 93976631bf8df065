/**
 * The Region a fix puts a disaster recovery copy in when it must choose one: a conventional pair in the same
 * partition (and, where AWS has one, the same geography). The plan says it was ReplGuard's choice.
 */
const PAIRS: Readonly<Record<string, string>> = {
  'us-east-1': 'us-west-2',
  'us-east-2': 'us-west-2',
  'us-west-1': 'us-east-1',
  'us-west-2': 'us-east-1',
  'ca-central-1': 'ca-west-1',
  'ca-west-1': 'ca-central-1',
  'eu-west-1': 'eu-central-1',
  'eu-west-2': 'eu-west-1',
  'eu-west-3': 'eu-central-1',
  'eu-central-1': 'eu-west-1',
  'eu-north-1': 'eu-west-1',
  'ap-southeast-1': 'ap-southeast-2',
  'ap-southeast-2': 'ap-southeast-1',
  'ap-northeast-1': 'ap-northeast-3',
  'ap-northeast-3': 'ap-northeast-1',
  'ap-south-1': 'ap-south-2',
  'sa-east-1': 'us-east-1',
  'us-gov-west-1': 'us-gov-east-1',
  'us-gov-east-1': 'us-gov-west-1',
  'cn-north-1': 'cn-northwest-1',
  'cn-northwest-1': 'cn-north-1',
};

/** The paired Region for a DR copy of a bucket in `region`, and the words that say it was chosen. */
export const drRegionFor = (region: string): { region: string; choice: string } => {
  const pair = PAIRS[region] ?? (region === 'us-east-1' ? 'us-west-2' : 'us-east-1');
  return {
    region: pair,
    choice: `ReplGuard pairs ${region} with ${pair}; pick another Region if yours differs`,
  };
};
