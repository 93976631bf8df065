/** Last `UpdatedAt` issued per finding id in this process (bounded). */
const issued = new Map<string, number>();
const MAX_REMEMBERED = 10_000;

/**
 * The `UpdatedAt` for the next import of finding `id`: `now`, but always at least one millisecond after
 * the stored `previous` value and after anything this process issued for the same id, so Security Hub
 * (which ignores an import whose `UpdatedAt` is not newer) never drops an update, even when two imports
 * happen within the same millisecond.
 */
export const nextUpdatedAt = (id: string, now: Date, previous?: string): string => {
  const stored = previous ? Date.parse(previous) : Number.NaN;
  const floor = Math.max(Number.isNaN(stored) ? -Infinity : stored + 1, (issued.get(id) ?? -Infinity) + 1);
  const at = Math.max(now.getTime(), floor);
  issued.delete(id);
  issued.set(id, at);
  if (issued.size > MAX_REMEMBERED) {
    const oldest = issued.keys().next().value;
    if (oldest !== undefined) issued.delete(oldest);
  }
  return new Date(at).toISOString();
};
