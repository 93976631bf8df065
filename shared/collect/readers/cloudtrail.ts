import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { ServiceId } from '../../aws/endpoint.js';
import { type Datum, known, mapDatum } from '../../model/datum.js';
import type { TrailInfo } from '../../model/snapshot.js';
import { regionOfArn } from '../normalise/arn.js';
import { normaliseSelectors } from '../normalise/cloudtrail.js';
import { safeRead } from '../safeRead.js';
import type { ScanSession } from '../session.js';

const client = (session: ScanSession, accountId: string, region: string) =>
  session.factory.clientIn(CloudTrailClient, ServiceId.CloudTrail, accountId, region);

/**
 * Logging status and S3 data event selectors of one trail, asked in its home Region by ARN (so a multi-Region
 * trail seen from several Regions is read once per scan).
 */
const readTrailDetails = (session: ScanSession, accountId: string, trail: Trail, fallbackRegion: string) => {
  const arn = trail.TrailARN ?? trail.Name ?? '';
  return session.once(`ct-trail|${accountId}|${arn}`, async () => {
    const ct = await client(session, accountId, trail.HomeRegion ?? regionOfArn(arn) ?? fallbackRegion);
    const [isLogging, selectors] = await Promise.all([
      safeRead(async () => (await ct.send(new GetTrailStatusCommand({ Name: arn }))).IsLogging === true, {
        permission: 'cloudtrail:GetTrailStatus',
      }),
      safeRead(async () => ct.send(new GetEventSelectorsCommand({ TrailName: arn })), {
        permission: 'cloudtrail:GetEventSelectors',
      }),
    ]);
    return {
      isLogging,
      s3DataEvents: mapDatum(selectors, normaliseSelectors),
      selectors: mapDatum(selectors, (out) => ({
        ...(out.EventSelectors?.length
          ? { eventSelectors: out.EventSelectors as unknown as Record<string, unknown>[] }
          : {}),
        ...(out.AdvancedEventSelectors?.length
          ? { advancedEventSelectors: out.AdvancedEventSelectors as unknown as Record<string, unknown>[] }
          : {}),
      })),
    };
  });
};

/**
 * The trails visible from an account and Region (shadow copies of multi-Region trails included), each with
 * its logging status and S3 data event selectors. Read once per account and Region per scan.
 */
export const readTrails = (
  session: ScanSession,
  accountId: string,
  region: string,
): Promise<Datum<readonly TrailInfo[]>> =>
  session.once(`ct-trails|${accountId}|${region}`, async () => {
    const ct = await client(session, accountId, region);
    const listed = await safeRead(
      async () => (await ct.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [],
      { permission: 'cloudtrail:DescribeTrails' },
    );
    if (!listed.known) return listed;
    const trails = await Promise.all(
      listed.value.map(async (t): Promise<TrailInfo> => {
        const details = await readTrailDetails(session, accountId, t, region);
        const arn = t.TrailARN ?? '';
        return {
          name: t.Name ?? arn.split('/').pop() ?? '',
          arn,
          homeRegion: t.HomeRegion ?? regionOfArn(arn) ?? region,
          isMultiRegion: t.IsMultiRegionTrail === true,
          isOrganizationTrail: t.IsOrganizationTrail === true,
          ...details,
        };
      }),
    );
    return known(trails);
  });
