// The comparison's JSON against its published JSON Schema (docs/compare.schema.json, generated from
// results/compare-schema.ts): the file is what the zod schema generates, and what `compare --format json` prints on real
// runs in a real database validates against it (no field missing, none the schema does not name).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { projectRoot } from '../../core/root.js';
import { compareJsonSchema } from '../../results/compare-schema.js';
import { cli } from '../e2e/cli.js';

const published = JSON.parse(readFileSync(join(projectRoot, 'docs', 'compare.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(published);
let dir: string;
const db = () => join(dir, 'runs.sqlite');

/** A run with no key (the built-in mock); its id. */
async function run(args: string[]): Promise<string> {
  const out = await cli(['run', '--json', '--db', db(), ...args]);
  if (out.code !== 0) throw new Error(`cardeval run ${args.join(' ')} exited ${out.code}: ${out.stderr}`);
  return JSON.parse(out.stdout).run.id;
}

/** `compare --format json`: its exit code, and what it printed, checked against the published schema. */
async function compareJson(base: string, candidate: string) {
  const out = await cli(['compare', base, candidate, '--format', 'json', '--db', db()]);
  const cmp = JSON.parse(out.stdout);
  validate(cmp);
  return { code: out.code, stderr: out.stderr, cmp, errors: validate.errors ?? [] };
}

// A user's eval whose dataset the test edits between two runs (the sample `b` changes content).
const words = (b: string) => ['a', b, 'c'].map((word, i) => JSON.stringify({ id: 'abc'[i], word })).join('\n') + '\n';
const wordsEval = (dataset: string) => `import { defineEval, z } from ${JSON.stringify(join(projectRoot, 'core', 'index.ts'))};
export default defineEval({
  id: 'words', title: 'Words', variants: ['default'],
  sampleSchema: z.object({ id: z.string(), word: z.string() }),
  dataset: () => ({ path: ${JSON.stringify(dataset)} }),
  conversation: (s) => [{ role: 'user', content: 'Say ' + s.word }],
  grade: (_s, t) => ({ pass: t.response.content.length > 0, reason: 'answered' }),
  graderVersion: '1',
  metrics: [{ name: 'answered', description: 'an answer', headline: true }],
});
`;

const runs = {} as Record<'hierarchy' | 'obedient' | 'wordsBefore' | 'wordsAfter', string>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-compare-schema-'));
  const evals = ['--eval', 'ih-password-protection:user-message', '--eval', 'ih-tutor-jailbreak:system-message', '--limit', '12'];
  runs.hierarchy = await run(evals);
  runs.obedient = await run([...evals, '--model', 'mock-obedient']);
  writeFileSync(join(dir, 'words.ts'), wordsEval(join(dir, 'words.jsonl')));
  writeFileSync(join(dir, 'words.jsonl'), words('b'));
  runs.wordsBefore = await run(['--eval-module', join(dir, 'words.ts'), '--eval', 'words']);
  writeFileSync(join(dir, 'words.jsonl'), words('b, changed'));
  runs.wordsAfter = await run(['--eval-module', join(dir, 'words.ts'), '--eval', 'words']);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/compare.schema.json', () => {
  it('is what the zod schema generates (npm run docs:schema writes it)', () => {
    expect(published).toEqual(compareJsonSchema());
  });

  it('validates a regression (exit 1): gated and ungated rows, decided and inconclusive ones', async () => {
    const { code, stderr, cmp, errors } = await compareJson(runs.hierarchy, runs.obedient);
    expect(code, stderr).toBe(1);
    expect(errors).toEqual([]);
    // The nullable fields both ways: p_holm set on gated rows, null on the others; samples_to_decide on an inconclusive row.
    const rows: Array<{ gated: boolean; outcome: string; p_holm: number | null; samples_to_decide: number | null }> = cmp.results;
    expect(rows.some((r) => r.gated && r.outcome === 'regression' && r.p_holm !== null)).toBe(true);
    expect(rows.some((r) => !r.gated && r.p_holm === null)).toBe(true);
    expect(rows.some((r) => r.outcome === 'inconclusive' && r.samples_to_decide !== null)).toBe(true);
    // The schema names every field: one it does not know fails, one missing fails.
    expect(validate({ ...cmp, extra: 1 })).toBe(false);
    const { regression: _, ...withoutRegression } = cmp.results[0];
    expect(validate({ ...cmp, results: [withoutRegression] })).toBe(false);
  }, 60_000);

  it('validates an improvement (exit 0)', async () => {
    const { code, stderr, cmp, errors } = await compareJson(runs.obedient, runs.hierarchy);
    expect(code, stderr).toBe(0);
    expect(errors).toEqual([]);
    expect(cmp.results.some((r: { outcome: string }) => r.outcome === 'improvement')).toBe(true);
  }, 60_000);

  it('validates a comparison across a dataset change: the changed sample counted and warned about', async () => {
    const { code, stderr, cmp, errors } = await compareJson(runs.wordsBefore, runs.wordsAfter);
    expect(code, stderr).toBe(0);
    expect(errors).toEqual([]);
    expect([cmp.changed_samples, cmp.items]).toEqual([1, { base: 3, candidate: 3, shared: 2, data_changed: 1 }]);
    expect(cmp.warnings).toContain('1 sample (1 item) has different content in the two runs (the dataset changed between them) and are left out');
    expect(cmp.results.map((r: { metric: string; n: number }) => [r.metric, r.n])).toEqual([['answered', 2]]);
  }, 60_000);

  it('is not printed when nothing pairs: exit 2, an error on stderr, stdout empty', async () => {
    const out = await cli(['compare', runs.hierarchy, runs.wordsBefore, '--format', 'json', '--db', db()]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^error: cannot compare: .* share no item; they ran different evals/m);
    expect(out.stdout).toBe('');
  }, 60_000);
});
