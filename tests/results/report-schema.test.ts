// The JSON report against its published JSON Schema (docs/report.schema.json, generated from results/report-schema.ts):
// the file is what the zod schema generates, and what `run --json` and `report --format json` print validates against
// it (no field missing, none the schema does not name).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { projectRoot } from '../../core/root.js';
import { reportJsonSchema } from '../../results/report-schema.js';
import { cli } from '../e2e/cli.js';

const published = JSON.parse(readFileSync(join(projectRoot, 'docs', 'report.schema.json'), 'utf8'));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-schema-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/report.schema.json', () => {
  it('is what the zod schema generates (npm run docs:schema writes it)', () => {
    expect(published).toEqual(reportJsonSchema());
  });

  it('validates what run --json and report --format json print, breakdowns and published figures included', async () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(published);
    const db = join(dir, 'runs.sqlite');
    const ran = await cli(['run', '--eval', 'ih-password-protection:user-message', '--eval', 'ih-tutor-jailbreak:system-message', '--limit', '6', '--json', '--db', db]);
    expect(ran.code, ran.stderr).toBe(0);
    const reported = await cli(['report', 'latest', '--format', 'json', '--db', db]);
    expect(reported.code, reported.stderr).toBe(0);
    for (const text of [ran.stdout, reported.stdout]) {
      const report = JSON.parse(text);
      expect(report.results.some((r: { breakdown?: unknown[] }) => r.breakdown?.length)).toBe(true);
      expect(report.results.some((r: { published: unknown[] }) => r.published.length > 0)).toBe(true);
      validate(report);
      expect(validate.errors ?? []).toEqual([]);
    }
  }, 120_000);
});
