import { describe, expect, it } from 'vitest';
import { findingIdOf } from '../../../shared/findings/identity.js';
import { redactResult, type RedactionSettings } from '../../../shared/findings/redaction.js';
import { toAlertMessage } from '../../../shared/publish/alert.js';
import { toAsff } from '../../../shared/publish/asff.js';
import { toChatMessage } from '../../../shared/publish/chat.js';
import { RAW_KEYS, runtimeFailure } from './fixtures.js';

/** Every payload that leaves ReplGuard for one runtime finding, as text. */
const payloads = (settings: RedactionSettings): string[] => {
  const raw = runtimeFailure({
    message: `Replication of phi-prod to phi-dr is failing (first object: ${RAW_KEYS[0]}).`,
  });
  const result = redactResult(raw, settings);
  const id = findingIdOf(result);
  const input = {
    findingId: id,
    transition: 'new' as const,
    result,
    timestamp: '2025-03-02T12:00:00.000Z',
    securityHub: true,
  };
  const alert = toAlertMessage(input);
  const chat = toChatMessage(input);
  return [
    JSON.stringify(
      toAsff({
        id,
        result,
        productArn: 'arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default',
        updatedAt: input.timestamp,
      }),
    ),
    alert.body,
    alert.subject,
    JSON.stringify(alert.attributes),
    chat.body,
    chat.subject,
  ];
};

/** Pieces of the raw keys that would identify a patient. */
const FRAGMENTS = [...RAW_KEYS, 'Jane Doe', 'John Smith', 'mri-2024-03-01.dcm', 'labs.pdf'];

describe('no object key leaves ReplGuard', () => {
  it('appears nowhere in the ASFF finding, the SNS alert (subject, body, attributes) or the chat message', () => {
    for (const text of payloads({ enabled: true, salt: 's' })) {
      for (const fragment of FRAGMENTS) expect(text).not.toContain(fragment);
      // JSON escapes "/" never, but a careless encoder might: check the escaped form too
      for (const fragment of FRAGMENTS) expect(text).not.toContain(JSON.stringify(fragment).slice(1, -1));
    }
  });

  it('the hashes stand in for the keys, so repeated samples can still be correlated', () => {
    const [asff] = payloads({ enabled: true, salt: 's' });
    expect(asff).toMatch(/sha256:[0-9a-f]{16}/);
  });

  it('keys do appear when redaction is switched off explicitly (so the check above can fail)', () => {
    const text = payloads({ enabled: false, salt: 's' }).join('\n');
    expect(text).toContain('Jane Doe');
  });
});
