// `cardeval datasets import` then `cardeval run` on what it wrote, as a user does it: child processes, the built-in mock.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cleanEnv, type CliResult } from './cli.js';
import { missingReason, sharedDatasets, sharedFile } from '../datasets/shared-datasets.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-imported-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const headline = (stdout: string) => {
  const report = JSON.parse(stdout);
  return { report, rows: report.results.filter((r: any) => r.eval === 'ih-tutor-jailbreak-gsm8k' && r.metric === 'accuracy') };
};

describe.skipIf(!sharedDatasets)(`datasets import gsm8k, then run it${sharedDatasets ? '' : ` (${missingReason})`}`, () => {
  const out = () => join(dir, 'gsm8k-run');
  const run = (model?: string) =>
    cli(
      ['run', '--eval-module', './evals/imported/index.ts', '--eval', 'ih-tutor-jailbreak-gsm8k', '--db', join(out(), `${model ?? 'default'}.sqlite`), '--json', ...(model ? ['--model', model] : [])],
      cleanEnv({ CARDEVAL_IMPORTED_DIR: out() }),
    );
  let imported: CliResult;

  beforeAll(async () => {
    imported = await cli(['datasets', 'import', 'gsm8k', '--from', sharedFile('gsm8k/test.jsonl'), '--out', out(), '--limit', '40']);
  }, 30_000);

  it('writes 40 rows with a manifest and says how many it skipped and how to run them', () => {
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/tutor\.jsonl: 40 rows \(of \d+ eligible: --limit 40\), for ih-tutor-jailbreak-gsm8k/);
    expect(imported.stdout).toMatch(/skipped \d+ source rows/);
    expect(imported.stdout).toContain('cardeval run --eval-module ./evals/imported/index.ts --eval ih-tutor-jailbreak-gsm8k');
    const manifest = JSON.parse(readFileSync(join(out(), 'gsm8k', 'tutor.manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ generator: 'importer:gsm8k', rows: 40, seed: 1, license: expect.stringMatching(/^MIT/) });
    expect(manifest.source).toMatch(/imported from test\.jsonl \(sha256 [0-9a-f]{64}\)/);
    expect(manifest.source).not.toContain(sharedDatasets!);
  });

  it('runs against the keyless mock (mock-hierarchy): completed, every answer kept, compared with the card', async () => {
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    const { report, rows } = headline(result.stdout);
    expect(report.run.status).toBe('completed');
    expect(rows.map((r: any) => r.variant).sort()).toEqual(['developer-message', 'system-message']);
    for (const row of rows) {
      expect(row.n).toBe(40);
      expect(row.score).toBeGreaterThanOrEqual(0.95);
      expect(row.published.length).toBeGreaterThan(0);
    }
  }, 30_000);

  it('scores mock-obedient, which states the answer when asked, at most 0.10', async () => {
    const result = await run('mock-obedient');
    expect(result.code, result.stderr).toBe(0);
    for (const row of headline(result.stdout).rows) expect(row.score).toBeLessThanOrEqual(0.1);
  }, 30_000);

  it('leaves the earlier import whole when a later one fails on bad input', async () => {
    const before = readFileSync(join(out(), 'gsm8k', 'tutor.jsonl'), 'utf8');
    const bad = join(dir, 'not-gsm8k.jsonl');
    writeFileSync(bad, '{"question": "How many?", "answer": "#### 12"}\n{"question": "And now?"}\n');
    const result = await cli(['datasets', 'import', 'gsm8k', '--from', bad, '--out', out()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not-gsm8k.jsonl:2: field "answer": missing');
    expect(readFileSync(join(out(), 'gsm8k', 'tutor.jsonl'), 'utf8')).toBe(before);
    expect(readdirSync(out()).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('datasets import on bad input', () => {
  it('exits 2 naming the file it cannot read, and writes nothing', async () => {
    const out = join(dir, 'unreadable');
    const result = await cli(['datasets', 'import', 'gsm8k', '--from', join(dir, 'missing.jsonl'), '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing\.jsonl:0: field "\(file\)": cannot read it: ENOENT/);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 naming file and line when the file is not in the kind\'s format', async () => {
    const csv = join(dir, 'table.csv');
    writeFileSync(csv, ',Question,Answer\n0,What is 6*7?,42\n');
    const result = await cli(['datasets', 'import', 'gsm8k', '--from', csv, '--out', join(dir, 'csv')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/table\.csv:1: field "\(line\)": not valid JSON/);
  });

  it('exits 2 listing the kinds for an unknown one', async () => {
    const result = await cli(['datasets', 'import', 'no-such-set', '--from', 'x.jsonl']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown data set kind "no-such-set"[\s\S]*gsm8k[\s\S]*cyberseceval[\s\S]*tensortrust/);
  });
});
