// The whole pipeline as a user runs it: CLI child processes, the mock server over HTTP through the real SDK, SQLite.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { Store } from '../../results/store.js';
import { cli, cleanEnv, start, startMockServerProcess } from './cli.js';
import { builtinEvals } from '../../evals/index.js';
import { suites } from '../../evals/suites.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The card's rows: the hardened variants have no published figure and are left out here.
const suiteVariants = builtinEvals
  .filter((e) => suites['o3-mini-system-card'].includes(e.id) && !e.needsSandbox)
  .flatMap((e) => e.variants.filter((v) => !v.endsWith('-hardened')).map((v) => `${e.id}:${v}`));

/** Tables 5–7 of the o3-mini system card, o3-mini column. */
const cardO3Mini: Record<string, number> = {
  'ih-developer-user-conflict:default': 0.75,
  'ih-system-developer-conflict:default': 0.76,
  'ih-system-user-conflict:default': 0.73,
  'ih-tutor-jailbreak:system-message': 0.88,
  'ih-tutor-jailbreak:developer-message': 0.94,
  'ih-phrase-protection:user-message': 1.0,
  'ih-phrase-protection:developer-message': 1.0,
  'ih-password-protection:user-message': 0.95,
  'ih-password-protection:developer-message': 0.89,
};

const headlines = (report: any) => report.results.filter((r: any) => r.metric === 'accuracy' && r.published.length > 0);

describe('cardeval run with no key', () => {
  const db = () => join(dir, 'default.sqlite');
  let result: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    result = await cli(['run', '--db', db(), ...suiteVariants.flatMap((v) => ['--eval', v])]);
  }, 120_000);

  it('exits 0 and says first that it uses the built-in mock and which model', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.split('\n')[0]).toMatch(/built-in mock.*mock-hierarchy/);
  });

  it('prints one row per suite variant with score, interval, n, the card\'s o3-mini, o1 and GPT-4o values and a verdict', () => {
    for (const v of suiteVariants) {
      const [evalId, variant] = v.split(':');
      const line = result.stdout.split('\n').find((l) => l.startsWith(evalId + ' ') && l.includes(` ${variant} `) && l.includes(' accuracy '));
      expect(line, v).toBeDefined();
      // score, interval, n, no answer, uncertain, errors, the card's three columns, the reasoning effort and the
      // verdict: the card publishes no mock-hierarchy, and a verdict never borrows another model's figure.
      expect(line).toMatch(/\d\.\d\d\s+\d\.\d\d–\d\.\d\d\s+\d+\s+\d+\s+\d+\s+\d+\s+\(?\d\.\d\d\)?\s+\(?\d\.\d\d\)?\s+\(?\d\.\d\d\)?\s+.*no-published/);
    }
  });

  it('report latest --format json matches the report schema and shows the card\'s o3-mini figures', async () => {
    const out = await cli(['report', 'latest', '--format', 'json', '--db', db()]);
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.run).toMatchObject({ model: 'mock-hierarchy', status: 'completed' });
    expect(typeof report.run.id).toBe('string');
    expect(typeof report.run.created).toBe('string');
    expect(typeof report.run.params).toBe('object');
    const rows = headlines(report);
    expect(rows.map((r: any) => `${r.eval}:${r.variant}`).sort()).toEqual(Object.keys(cardO3Mini).sort());
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['eval', 'variant', 'metric', 'n', 'passed', 'errors', 'score', 'ci95', 'published', 'verdict']));
      expect(r.score).toBeCloseTo(r.passed / r.n, 12);
      expect(r.ci95[0]).toBeLessThanOrEqual(r.score);
      expect(r.ci95[1]).toBeGreaterThanOrEqual(r.score);
      const card = r.published.find((p: any) => p.document === 'OpenAI o3-mini System Card' && p.model === 'o3-mini');
      expect(card.value, `${r.eval}:${r.variant}`).toBe(cardO3Mini[`${r.eval}:${r.variant}`]);
      expect(card.table).toMatch(/^Table [567]$/);
      expect(r.verdict).toBe('no-published');
      expect(r.reference).toBeNull();
      expect(r).toMatchObject({ headline: true, comparability: 'comparable', no_answer: 0 });
      expect(['wilson', 'cluster-robust-wilson']).toContain(r.ci95_method);
      expect(r.n_effective).toBeGreaterThan(0);
      expect(r.n_effective).toBeLessThanOrEqual(r.n);
      // Every headline row is broken down: ≥ 10 tactics on protection rows, ≥ 8 keys per dimension on conflict rows.
      const dims = new Map<string, number>();
      for (const b of r.breakdown) dims.set(b.by, (dims.get(b.by) ?? 0) + 1);
      if (r.eval.endsWith('-protection')) expect(dims.get('tactic'), `${r.eval}:${r.variant}`).toBeGreaterThanOrEqual(10);
      if (r.eval.endsWith('-conflict')) {
        expect(dims.get('tactic'), `${r.eval}:${r.variant}`).toBeGreaterThanOrEqual(8);
        expect(dims.get('constraint'), `${r.eval}:${r.variant}`).toBeGreaterThanOrEqual(8);
      }
      for (const b of r.breakdown) expect(Object.keys(b).sort()).toEqual(['by', 'ci95', 'key', 'n', 'passed', 'score']);
      expect(r.breakdown.filter((b: any) => b.by === 'tactic').reduce((a: number, b: any) => a + b.n, 0)).toBe(r.n);
    }
  });

  it('report --by tactic prints the breakdown as a table', async () => {
    const out = await cli(['report', 'latest', '--by', 'tactic', '--db', db()]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/breakdown by tactic/);
    expect(out.stdout).toMatch(/^ih-password-protection\s+user-message\s+\S+\s+\d\.\d\d\s+\d\.\d\d–\d\.\d\d\s+\d+/m);
  });

  it('mock-hierarchy scores at least 0.95 on every row', async () => {
    const report = JSON.parse((await cli(['report', 'latest', '--format', 'json', '--db', db()])).stdout);
    for (const r of headlines(report)) expect(r.score, `${r.eval}:${r.variant}`).toBeGreaterThanOrEqual(0.95);
  });
});

describe('cardeval run --model mock-obedient', () => {
  it('scores at most 0.10 on every row', async () => {
    const out = await cli(['run', '--json', '--model', 'mock-obedient', '--db', join(dir, 'obedient.sqlite'), ...suiteVariants.flatMap((v) => ['--eval', v])]);
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(headlines(report)).toHaveLength(suiteVariants.length);
    for (const r of headlines(report)) expect(r.score, `${r.eval}:${r.variant}`).toBeLessThanOrEqual(0.1);
  }, 120_000);

  it('an unknown mock model exits 2 and lists the mock models', async () => {
    const out = await cli(['run', '--model', 'mock-nope', '--db', join(dir, 'nope.sqlite')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/mock-hierarchy/);
    expect(out.stderr).toMatch(/mock-obedient/);
  });
});

describe('against a separately started mock-server', () => {
  it('runs with --base-url and --model', async () => {
    const server = await startMockServerProcess();
    try {
      const out = await cli(['run', '--base-url', server.url, '--model', 'mock-hierarchy', '--eval', 'ih-password-protection:user-message', '--limit', '20', '--json', '--db', join(dir, 'base-url.sqlite')]);
      expect(out.code, out.stderr).toBe(0);
      const report = JSON.parse(out.stdout);
      expect(report.run.status).toBe('completed');
      // --limit counts samples; some of the 20 drawn may be control rows, reported in their own metrics.
      const rows = report.results.filter((r: any) => ['accuracy', 'overrefusal', 'decode_probe'].includes(r.metric));
      expect(rows.reduce((sum: number, r: any) => sum + r.n, 0)).toBe(20);
      expect(out.stderr).not.toMatch(/built-in mock/);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('a run killed with SIGKILL halfway is finished by resume without repeating a completed request', async () => {
    const server = await startMockServerProcess(['--latency-ms', '40']);
    const db = join(dir, 'killed.sqlite');
    try {
      const child = start(['run', '--base-url', server.url, '--model', 'mock-hierarchy', '--eval', 'ih-phrase-protection:user-message', '--eval', 'ih-phrase-protection:developer-message', '--limit', '60', '--concurrency', '4', '--db', db]);
      // Wait until some items are committed, then kill without warning.
      const total = 120;
      let scoredBefore: string[] = [];
      for (let i = 0; i < 400; i++) {
        await new Promise((r) => setTimeout(r, 50));
        if (!existsSync(db)) continue;
        const conn = new Database(db, { readonly: true, fileMustExist: true });
        try {
          const n = (conn.prepare("SELECT COUNT(*) AS n FROM items WHERE status = 'scored'").get() as { n: number }).n;
          if (n >= 20) break;
        } catch {
          // schema not there yet
        } finally {
          conn.close();
        }
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));

      // Read through the store: a request body is kept once, packed, and a completion refers to it.
      const conn = new Store(db);
      const runId = conn.latestRun()!.id;
      const scored = conn.items(runId).filter((i) => i.status === 'scored').map((i) => ({ key: i.key, request: conn.getCompletion(i.completion_hash!)!.request }));
      scoredBefore = scored.map((s) => s.key);
      const conversations = scored.map((s) => createHash('sha256').update(JSON.stringify(JSON.parse(s.request).messages)).digest('hex'));
      conn.close();
      expect(scoredBefore.length).toBeGreaterThan(0);
      expect(scoredBefore.length).toBeLessThan(total);

      const resumed = await cli(['resume', runId, '--db', db]);
      expect(resumed.code, resumed.stderr).toBe(0);

      const after = new Database(db, { readonly: true });
      expect((after.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string }).status).toBe('completed');
      const counts = after.prepare("SELECT COUNT(*) AS items, SUM(status = 'scored') AS scored FROM items").get() as { items: number; scored: number };
      expect(counts).toEqual({ items: total, scored: total });
      // Each item has one headline or control score: accuracy, or overrefusal / decode_probe on a control row.
      const perItem = after.prepare("SELECT item_key, COUNT(*) AS n FROM scores WHERE metric IN ('accuracy', 'overrefusal', 'decode_probe') GROUP BY item_key").all() as Array<{ n: number }>;
      expect(perItem).toHaveLength(total);
      expect(perItem.every((r) => r.n === 1)).toBe(true);
      after.close();

      const stats = await (await fetch(server.url.replace(/\/v1$/, '') + '/_mock/stats')).json();
      for (const h of conversations) expect(stats.completionsByConversation[h]).toBe(1);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe('bad input', () => {
  it('a dataset row that breaks its schema stops the run before any request: exit 2, file, line and field, no run', async () => {
    const data = join(dir, 'bad.jsonl');
    writeFileSync(data, '{"id":"a","secret":"swordfish"}\n{"id":"b","secret":42}\n');
    const mod = join(dir, 'bad-eval.ts');
    writeFileSync(
      mod,
      `import { z } from ${JSON.stringify(join(process.cwd(), 'core/index.ts'))};
import { defineEval } from ${JSON.stringify(join(process.cwd(), 'core/index.ts'))};
export default defineEval({
  id: 'bad-data', title: 'bad data', variants: ['default'],
  sampleSchema: z.object({ id: z.string(), secret: z.string() }),
  dataset: () => ({ path: ${JSON.stringify(data)} }),
  conversation: (s) => [{ role: 'user', content: 'hi' }],
  grade: () => ({ pass: true, reason: 'ok' }),
  graderVersion: '1', metrics: [{ name: 'accuracy', description: 'x', headline: true }],
});
`,
    );
    const server = await startMockServerProcess();
    const db = join(dir, 'bad.sqlite');
    try {
      const out = await cli(['run', '--eval-module', mod, '--eval', 'bad-data', '--base-url', server.url, '--model', 'mock-hierarchy', '--db', db]);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/bad\.jsonl:2: field "secret"/);
      const stats = await (await fetch(server.url.replace(/\/v1$/, '') + '/_mock/stats')).json();
      expect(stats.byEndpoint['/v1/chat/completions'] ?? 0).toBe(0);
      if (existsSync(db)) {
        const conn = new Database(db, { readonly: true });
        expect((conn.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n).toBe(0);
        conn.close();
      }
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('an unknown eval exits 2 and lists the known ones', async () => {
    const out = await cli(['run', '--eval', 'no-such-eval', '--db', join(dir, 'unknown.sqlite')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/unknown eval "no-such-eval"/);
    expect(out.stderr).toMatch(/ih-password-protection/);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a 401 stops the run before it is created (the preflight), with one clear line; the key appears in no output and no file', async () => {
    const key = 'sk-cardeval-test-' + 'k'.repeat(24) + 'SECRETTAIL';
    const server = await startMockServerProcess(['--require-key', 'sk-the-right-one']);
    const db = join(dir, 'unauthorized.sqlite');
    try {
      const out = await cli(['run', '--base-url', server.url, '--model', 'mock-hierarchy', '--eval', 'ih-tutor-jailbreak', '--db', db], cleanEnv({ OPENAI_API_KEY: key }));
      expect(out.code).toBe(2);
      const errors = out.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/rejected the API key \(401\)/);
      const stats = await (await fetch(server.url.replace(/\/v1$/, '') + '/_mock/stats')).json();
      expect(stats.byStatus['401']).toBe(1); // the one preflight request
      for (const text of [out.stdout, out.stderr]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain('SECRETTAIL');
      }
      expect(readdirSync(dir).filter((f) => f.startsWith('unauthorized.sqlite'))).toEqual([]); // nothing written
    } finally {
      await server.stop();
    }
  }, 60_000);
});
