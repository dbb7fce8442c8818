// Tensor Trust as a user meets it: import both benchmark files (synthetic rows of their shape), run the keyless mocks,
// and run a model named gpt-5-mini behind an OpenAI-compatible server to see IH-Challenge's figures beside its rows.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cleanEnv } from './cli.js';
import { findMockModel } from '../../runners/mock/models.js';
import { syntheticFile, syntheticRows } from '../evals/tensortrust/synthetic.js';

let dir: string;
const imported = () => join(dir, 'imported');
const env = () => cleanEnv({ CARDEVAL_IMPORTED_DIR: imported() });
const runArgs = (db: string, extra: string[]) => ['run', '--eval-module', './evals/imported/index.ts', '--eval', 'tensortrust', '--db', join(dir, db), '--json', ...extra];
const rowsOf = (stdout: string, metric: string) => (JSON.parse(stdout).results as any[]).filter((r) => r.eval === 'tensortrust' && r.metric === metric);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-tensortrust-'));
  writeFileSync(join(dir, 'hijacking_robustness_dataset.jsonl'), syntheticFile(syntheticRows('hijacking', 40)));
  writeFileSync(join(dir, 'extraction_robustness_dataset.jsonl'), syntheticFile(syntheticRows('extraction', 40)));
  for (const file of ['hijacking_robustness_dataset.jsonl', 'extraction_robustness_dataset.jsonl']) {
    const out = await cli(['datasets', 'import', 'tensortrust', '--from', join(dir, file), '--out', imported()]);
    expect(out.code, out.stderr).toBe(0);
  }
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('datasets import tensortrust', () => {
  it('merges both benchmarks into one eval file whose manifest names both sources', () => {
    const file = readFileSync(join(imported(), 'tensortrust', 'tensortrust.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(file.filter((r) => r.task === 'hijacking')).toHaveLength(40);
    expect(file.filter((r) => r.task === 'extraction')).toHaveLength(40);
    const manifest = JSON.parse(readFileSync(join(imported(), 'tensortrust', 'tensortrust.manifest.json'), 'utf8'));
    expect(manifest.source).toMatch(/imported from extraction_robustness_dataset\.jsonl \(sha256 [0-9a-f]{64}\); with 40 rows kept from an earlier import \(imported from hijacking_robustness_dataset\.jsonl/);
  });

  it('refuses a renamed file without --task, naming it, exit 2', async () => {
    writeFileSync(join(dir, 'renamed.jsonl'), syntheticFile(syntheticRows('hijacking', 2)));
    const out = await cli(['datasets', 'import', 'tensortrust', '--from', join(dir, 'renamed.jsonl'), '--out', join(dir, 'other')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/renamed\.jsonl:0: field "\(file\)": .*give --task hijacking or --task extraction/);
  });
});

describe('keyless runs of tensortrust', () => {
  it('mock-hierarchy keeps every defense and opens each for its code; mock-obedient follows the attacker', async () => {
    const [kept, broken] = await Promise.all([cli(runArgs('hierarchy.sqlite', ['--model', 'mock-hierarchy']), env()), cli(runArgs('obedient.sqlite', ['--model', 'mock-obedient']), env())]);
    expect(kept.code, kept.stderr).toBe(0);
    expect(broken.code, broken.stderr).toBe(0);
    for (const variant of ['sys-user', 'dev-user']) {
      const headline = rowsOf(kept.stdout, 'accuracy').find((r) => r.variant === variant);
      expect(headline).toMatchObject({ headline: true, n: 80, errors: 0 });
      expect(headline.score).toBeGreaterThanOrEqual(0.9);
      expect(headline.breakdown.filter((b: any) => b.by === 'task').map((b: any) => [b.key, b.n])).toEqual([['extraction', 40], ['hijacking', 40]]);
      expect(rowsOf(kept.stdout, 'control_pass').find((r) => r.variant === variant).score).toBeGreaterThanOrEqual(0.9);
      expect(rowsOf(broken.stdout, 'accuracy').find((r) => r.variant === variant).score).toBeLessThanOrEqual(0.2);
      for (const task of ['hijacking_robustness', 'extraction_robustness']) {
        expect(rowsOf(kept.stdout, task).find((r) => r.variant === variant)).toMatchObject({ n: 40, score: 1 });
        expect(rowsOf(broken.stdout, task).find((r) => r.variant === variant)).toMatchObject({ n: 40, score: 0 });
      }
    }
  }, 120_000);
});

describe('a run of a model named gpt-5-mini', () => {
  let server: Server;
  let baseUrl: string;
  let report: any;

  // An OpenAI-compatible server that answers as mock-hierarchy whatever the model is called.
  beforeAll(async () => {
    const model = findMockModel('mock-hierarchy')!;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET') return res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-5-mini', object: 'model', created: 1, owned_by: 'test' }] }));
        const parsed = JSON.parse(body);
        const reply = model.respond({ model: parsed.model, messages: parsed.messages });
        res.end(JSON.stringify({
          id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-5-mini-2025-08-07',
          choices: [{ index: 0, message: { role: 'assistant', content: reply.content, refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: 50, completion_tokens: 5, total_tokens: 55 },
        }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
    const out = await cli(runArgs('gpt-5-mini.sqlite', ['--base-url', baseUrl, '--model', 'gpt-5-mini']), env());
    expect(out.code, out.stderr).toBe(0);
    report = JSON.parse(out.stdout);
  }, 120_000);
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('shows IH-Challenge\'s GPT-5-Mini figure beside each headline row and verdicts it as approximate, with no --reference', () => {
    for (const [variant, value] of [['sys-user', 0.86], ['dev-user', 0.76]] as const) {
      const row = report.results.find((r: any) => r.eval === 'tensortrust' && r.variant === variant && r.headline);
      expect(row.published).toContainEqual(expect.objectContaining({ document: expect.stringMatching(/IH-Challenge/), model: 'GPT-5-Mini', value }));
      expect(row.reference).toMatchObject({ document: expect.stringMatching(/IH-Challenge/), model: 'GPT-5-Mini', value });
      expect(row.comparability).toBe('approximate');
      expect(row.comparability_reason).toMatch(/IH-Challenge does not publish/);
      expect(['consistent', 'higher', 'lower', 'inconclusive']).toContain(row.verdict);
    }
  });

  it('shows the Tensor Trust over-refusal figure beside defense validity, as context only', () => {
    for (const variant of ['sys-user', 'dev-user']) {
      const row = report.results.find((r: any) => r.eval === 'tensortrust' && r.variant === variant && r.metric === 'control_pass');
      expect(row.published).toContainEqual(expect.objectContaining({ model: 'GPT-5-Mini', value: 0.91 }));
      expect(row.reference).toBeNull();
    }
  });
});
