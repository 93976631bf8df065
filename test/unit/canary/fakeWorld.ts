/**
 * A fake S3 for canary tests: objects written to a source replicate to each destination after the
 * destination's delay (never when `null`), S3's status follows (PENDING → COMPLETED, or FAILED), and every
 * call is recorded. Time is a test clock.
 */
import type { BucketRef, CanaryIo, ObjectHead } from '../../../shared/canary/run.js';
import { type Datum, known, unknown } from '../../../shared/model/datum.js';
import type { LifecycleRuleInfo } from '../../../shared/model/lifecycle.js';
import type { ObjectLockInfo } from '../../../shared/model/snapshot.js';

export interface Destination {
  /** Milliseconds from the write to the replica; `null`: never arrives. */
  delayMs: number | null;
  /** S3 marks the source FAILED (instead of leaving it PENDING) when the replica never arrives. */
  fails?: boolean;
  /** Looking at replicas here is denied. */
  denied?: boolean;
}

export const COMPLETE_LIFECYCLE: LifecycleRuleInfo[] = [
  {
    id: 'replguard-canary-expiry',
    enabled: true,
    prefix: 'replguard-canary/',
    tagFiltered: false,
    expiresCurrent: true,
    noncurrentDays: 1,
  },
];

export class FakeWorld {
  now = Date.parse('2025-03-04T22:00:00Z');
  readonly destinations = new Map<string, Destination>();
  readonly objects = new Map<string, { writtenAt: number; metadata: Record<string, string> }>();
  readonly puts: { bucket: string; key: string }[] = [];
  /** The Object Lock configuration of every bucket but those in `locks`. */
  lock: Datum<ObjectLockInfo | null> = known(null);
  readonly locks = new Map<string, Datum<ObjectLockInfo | null>>();
  lifecycle: Datum<readonly LifecycleRuleInfo[] | null> = known(COMPLETE_LIFECYCLE);
  putFails = false;

  readonly clock = {
    now: () => this.now,
    sleep: async (ms: number) => {
      this.now += ms;
    },
  };

  #arrived(writtenAt: number, d: Destination): boolean {
    return d.delayMs !== null && this.now >= writtenAt + d.delayMs;
  }

  #status(writtenAt: number): string {
    const ds = [...this.destinations.values()];
    if (ds.every((d) => this.#arrived(writtenAt, d))) return 'COMPLETED';
    if (ds.some((d) => d.delayMs === null && d.fails)) return 'FAILED';
    return 'PENDING';
  }

  readonly io: CanaryIo = {
    objectLock: async (target: BucketRef) => this.locks.get(target.bucket) ?? this.lock,
    lifecycle: async () => this.lifecycle,
    head: async (target: BucketRef, key: string): Promise<Datum<ObjectHead | null>> => {
      const destination = this.destinations.get(target.bucket);
      if (destination) {
        if (destination.denied) return unknown('AccessDenied on s3:GetObject', 's3:GetObject');
        const source = [...this.objects.entries()].find(([k]) => k.endsWith(`/${key}`));
        return known(
          source && !key.endsWith('/state') && this.#arrived(source[1].writtenAt, destination)
            ? { replicationStatus: 'REPLICA', metadata: {} }
            : null,
        );
      }
      const object = this.objects.get(`${target.bucket}/${key}`);
      if (!object) return known(null);
      return known({
        ...(key.endsWith('/state') ? {} : { replicationStatus: this.#status(object.writtenAt) }),
        metadata: object.metadata,
      });
    },
    put: async (target, key, object) => {
      if (this.putFails) return unknown('AccessDenied on s3:PutObject', 's3:PutObject');
      this.puts.push({ bucket: target.bucket, key });
      this.objects.set(`${target.bucket}/${key}`, { writtenAt: this.now, metadata: { ...object.metadata } });
      return known(true);
    },
  };
}
