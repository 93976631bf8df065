/** Shell quoting for the ready-to-run commands rules put in their remediation. */

const SAFE = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** Quotes `value` for a POSIX shell (single quotes), leaving plain words as they are. */
export const shq = (value: string): string =>
  SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;

/** A JSON argument, compact and shell-quoted. */
export const shJson = (value: unknown): string => shq(JSON.stringify(value));
