/**
 * ASFF `Remediation.Recommendation.Text` is at most 512 characters, and a fix command (a bucket or key policy
 * with its whole document) is often longer. The text is then a short, complete instruction: the remediation
 * with each command replaced by where it is in full (`ProductFields` `replguard/fix/<n>`), whole sentences
 * only, never a command cut in the middle. The commands themselves go into `replguard/fix/<n>` (a command
 * longer than one field's 2048 characters continues in `replguard/fix/<n>/2`, `/3`, …).
 */
import { truncate } from './text.js';

/** The ProductFields prefix of the fix commands. */
export const FIX_FIELD = 'replguard/fix/';

/** The backquoted commands of a remediation, in order. */
export const commandsOf = (remediation: string): string[] =>
  [...remediation.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);

/** The commands as ProductFields: `replguard/fix/1`, … each at most `maxValue`, continued in `/2`, `/3`. */
export const fixFields = (
  remediation: string,
  maxValue: number,
  maxFields: number,
): Record<string, string> => {
  const fields: Record<string, string> = {};
  commandsOf(remediation).forEach((command, i) => {
    for (let part = 0; part * maxValue < command.length; part++) {
      if (Object.keys(fields).length >= maxFields) return;
      const key = `${FIX_FIELD}${i + 1}${part ? `/${part + 1}` : ''}`;
      fields[key] = command.slice(part * maxValue, (part + 1) * maxValue);
    }
  });
  return fields;
};

/** Sentences of `text`, split at ". " outside backquotes (a command's own dots never end a sentence). */
const sentencesOf = (text: string): string[] => {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '`') quoted = !quoted;
    else if (!quoted && text[i] === '.' && text[i + 1] === ' ') {
      out.push(text.slice(start, i + 1));
      start = i + 2;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
};

/**
 * The recommendation: `remediation` itself when it fits in `max`; else the same instruction with every command
 * replaced by "the command in ProductFields replguard/fix/<n>" and `replguard fix --bucket <bucket>` named,
 * then, only if still too long, its first whole sentences (the first one shortened at a word as a last resort;
 * no command is left in it to cut).
 */
export const recommendationText = (remediation: string, bucket: string, max: number): string => {
  if (remediation.length <= max) return remediation;
  const commands = commandsOf(remediation);
  if (commands.length === 0) return truncate(remediation, max);
  let n = 0;
  const body = remediation.replace(/`([^`]+)`/g, () => `the command in ProductFields ${FIX_FIELD}${++n}`);
  const tail = ` (all of them: \`replguard fix --bucket ${bucket}\`)`;
  const whole = `${body.replace(/\.$/, '')}${tail}.`;
  if (whole.length <= max) return whole;
  const sentences = sentencesOf(body);
  let text = '';
  for (const sentence of sentences) {
    const next = text ? `${text} ${sentence}` : sentence;
    if (`${next.replace(/\.$/, '')}${tail}.`.length > max) break;
    text = next;
  }
  if (text) return `${text.replace(/\.$/, '')}${tail}.`;
  const room = max - tail.length - 1;
  const cut = truncate(body, room).replace(/\s+\S*…$/, '…');
  return `${cut}${tail}.`;
};
