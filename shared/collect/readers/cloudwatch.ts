import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ServiceId } from '../../aws/endpoint.js';
import type { Datum } from '../../model/datum.js';
import type { AlarmInfo } from '../../model/snapshot.js';
import { normaliseAlarm } from '../normalise/cloudwatch.js';
import { safeRead } from '../safeRead.js';
import type { ScanSession } from '../session.js';

/**
 * The metric alarms of an account and Region that watch S3 replication metrics (plain or metric math).
 * One paginated DescribeAlarms per account and Region per scan, shared by every bucket there.
 */
export const readReplicationAlarms = (
  session: ScanSession,
  accountId: string,
  region: string,
): Promise<Datum<readonly AlarmInfo[]>> =>
  session.once(`cw-alarms|${accountId}|${region}`, async () => {
    const cw = await session.factory.clientIn(CloudWatchClient, ServiceId.CloudWatch, accountId, region);
    return safeRead(
      async () => {
        const alarms: AlarmInfo[] = [];
        let token: string | undefined;
        do {
          const page = await cw.send(
            new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], MaxRecords: 100, NextToken: token }),
          );
          for (const alarm of page.MetricAlarms ?? []) {
            const info = normaliseAlarm(alarm);
            if (info) alarms.push(info);
          }
          token = page.NextToken;
        } while (token);
        return alarms;
      },
      { permission: 'cloudwatch:DescribeAlarms' },
    );
  });
