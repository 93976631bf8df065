/** `npm run demo`'s sections against the test emulator: what a first-time reader sees, and its exit contract. */
import { describe, expect, inject, it } from 'vitest';
import { defaultSections, runDemo } from '../../scripts/demo.js';
import type { DemoSection } from '../../scripts/demo/context.js';

const endpoint = inject('emulatorEndpoint');

const run = async (options: { only?: string[]; sections?: DemoSection[] }) => {
  const lines: string[] = [];
  const result = await runDemo({ endpoint, color: false, out: (line) => lines.push(line), ...options });
  return { result, text: lines.join('\n'), lines };
};

describe('runDemo', () => {
  it(
    'shows both versioning rules for the healthy and the Suspended pair, then the chosen scenarios and a summary',
    { timeout: 150_000 },
    async () => {
      const { result, text, lines } = await run({ only: ['healthy-full', 'versioning-dest-suspended'] });
      expect(result.errors).toBe(0);
      expect(text).toMatch(/healthy pair: phi-records-\S+ \(us-east-1\) → phi-records-dr-\S+ \(us-west-2\)/);
      expect(text).toMatch(
        /destination versioning Suspended: phi-imaging-\S+ \(us-east-1\) → phi-imaging-dr-\S+/,
      );
      expect(lines.filter((l) => /^\s+versioning_source_enabled\s+COMPLIANT$/.test(l))).toHaveLength(2);
      expect(lines.filter((l) => /^\s+versioning_destination_enabled\s+COMPLIANT$/.test(l))).toHaveLength(1);
      expect(text).toMatch(
        /versioning_destination_enabled\s+NON_COMPLIANT\s+Versioning on destination phi-imaging-dr-\S+ .*Suspended/,
      );
      expect(text).toMatch(/^healthy-full \[healthy\] .*\n {2}no findings$/m);
      expect(text).toMatch(
        /NON_COMPLIANT {2}CRITICAL {2}versioning_destination_enabled\n.*Suspended.*\n\s+fix: step \d+: aws s3api put-bucket-versioning --region us-west-2 --bucket /,
      );
      expect(lines.at(-1)).toMatch(
        /^Summary: foundation: 2 pairs; 2 scenarios, 2 as expected; pipeline: 1 findings published, 1 resolved; runtime: 2000 events → 2 alerts; alarm raised and resolved; 1 finding \(CRITICAL 1\); 0 UNKNOWN; 0 errors; [\d.]+ s$/,
      );
    },
  );

  it('runs appended sections after the default ones and counts their errors for the exit status', async () => {
    const failing: DemoSection = {
      title: 'a section that fails',
      run: () => Promise.reject(new Error('boom')),
    };
    const extra: DemoSection = {
      title: 'an appended section',
      run: async (context) => {
        context.out('appended output');
        return { summary: 'appended: 1 thing', findings: { HIGH: 2 }, unknown: 1 };
      },
    };
    const { result, text, lines } = await run({ sections: [extra, failing] });
    expect(result.errors).toBe(1);
    expect(text).toContain('appended output');
    expect(text).toContain('ERROR a section that fails: boom');
    expect(lines.at(-1)).toMatch(/^Summary: appended: 1 thing; 2 findings \(HIGH 2\); 1 UNKNOWN; 1 error; /);
  });

  it('runs the Foundation pairs, the scenario catalog, the findings pipeline and the functions, in that order', () => {
    expect(defaultSections().map((s) => s.title)).toEqual([
      expect.stringMatching(/^Foundation/),
      expect.stringMatching(/^Seed scenarios/),
      expect.stringMatching(/^Findings pipeline/),
      expect.stringMatching(/^Lambda functions/),
    ]);
  });
});
