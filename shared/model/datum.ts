/**
 * A value read from AWS, with where it came from, or the reason it could not be read.
 * Collectors never throw for expected API errors: they return `unknown(...)` instead,
 * and rules that need the value report UNKNOWN naming the missing permission.
 */
export const DataSource = {
  Api: 'api',
  ConfigItem: 'config',
  Derived: 'derived',
} as const;
export type DataSource = (typeof DataSource)[keyof typeof DataSource];

export interface KnownDatum<T> {
  readonly known: true;
  readonly value: T;
  readonly source: DataSource;
}

export interface UnknownDatum {
  readonly known: false;
  /** Human-readable reason, e.g. `AccessDenied on s3:GetBucketVersioning`. */
  readonly reason: string;
  /** The IAM action that would have let us read it, when the cause is a denied call. */
  readonly permission?: string;
  /** What to do when it is not a permission to grant (expired or invalid credentials: refresh them). */
  readonly fix?: string;
  readonly source: DataSource;
}

export type Datum<T> = KnownDatum<T> | UnknownDatum;

/** Wraps a value read successfully. */
export const known = <T>(value: T, source: DataSource = DataSource.Api): KnownDatum<T> => ({
  known: true,
  value,
  source,
});

/** Records why a value could not be read. */
export const unknown = (
  reason: string,
  permission?: string,
  source: DataSource = DataSource.Api,
): UnknownDatum =>
  permission === undefined ? { known: false, reason, source } : { known: false, reason, permission, source };

/** Maps a known value, passing unknowns through untouched. */
export const mapDatum = <T, U>(d: Datum<T>, fn: (value: T) => U): Datum<U> =>
  d.known ? { known: true, value: fn(d.value), source: d.source } : d;

/** The value, or `fallback` when unknown. */
export const valueOr = <T, F>(d: Datum<T>, fallback: F): T | F => (d.known ? d.value : fallback);
