// Runners at scale through the CLI: record/replay fixtures, the Batch API, cost budgets, shards and merge, dry runs.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../../results/store.js';
import { cli, startMockServerProcess } from './cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-scale-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stats = async (url: string) => (await fetch(url.replace(/\/v1$/, '') + '/_mock/stats')).json();

/** item key → pass of the headline metric, for one run in a database. */
function passes(db: string, metric = 'accuracy'): Record<string, number> {
  const conn = new Database(db, { readonly: true });
  const rows = conn.prepare('SELECT item_key, pass FROM scores WHERE metric = ? ORDER BY item_key').all(metric) as Array<{ item_key: string; pass: number }>;
  conn.close();
  return Object.fromEntries(rows.map((r) => [r.item_key, r.pass]));
}

const evals = ['--eval', 'ih-password-protection:user-message', '--eval', 'ih-tutor-jailbreak:system-message', '--limit', '15'];

describe('--cache record / replay', () => {
  it('replay after record sends no request at all and gives identical scores; a miss names the item', async () => {
    const fixtures = join(dir, 'fixtures.jsonl');
    const recorded = join(dir, 'recorded.sqlite');
    const rec = await cli(['run', ...evals, '--model', 'mock-obedient', '--cache', 'record', '--fixtures', fixtures, '--db', recorded]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(existsSync(fixtures)).toBe(true);

    const server = await startMockServerProcess();
    try {
      const replayed = join(dir, 'replayed.sqlite');
      const rep = await cli(['run', ...evals, '--base-url', server.url, '--model', 'mock-obedient', '--cache', 'replay', '--fixtures', fixtures, '--db', replayed]);
      expect(rep.code, rep.stderr).toBe(0);
      expect((await stats(server.url)).requests).toBe(0);
      expect(passes(replayed)).toEqual(passes(recorded));
      // Every one of the 30 items replayed and scored (accuracy does not apply to every sample: boundary controls).
      const conn = new Database(replayed, { readonly: true });
      expect(conn.prepare("SELECT COUNT(*) FROM items WHERE status = 'scored'").pluck().get()).toBe(30);
      conn.close();
      expect(Object.keys(passes(replayed)).length).toBeGreaterThan(0);

      const miss = await cli(['run', '--eval', 'ih-phrase-protection:user-message', '--limit', '2', '--base-url', server.url, '--model', 'mock-obedient', '--cache', 'replay', '--fixtures', fixtures, '--db', join(dir, 'miss.sqlite')]);
      expect(miss.code).toBe(3);
      expect(miss.stderr).toMatch(/item ih-phrase-protection:user-message:[^ ]+:0: cache_miss: no recorded answer for this request \(model mock-obedient, api chat, epoch 0, request [0-9a-f]{12}\) in \S+fixtures.jsonl or this database's cache/);
      expect(miss.stderr).toContain(`--cache record --fixtures ${fixtures}`);
      expect((await stats(server.url)).requests).toBe(0);
    } finally {
      await server.stop();
    }
  }, 90_000);
});

describe('--batch', () => {
  it('completes against the mock and scores equal the same run without --batch', async () => {
    const batchDb = join(dir, 'batch.sqlite');
    const plainDb = join(dir, 'plain.sqlite');
    const b = await cli(['run', ...evals, '--model', 'mock-obedient', '--batch', '--cache', 'off', '--db', batchDb]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/batch \S+ completed/);
    const p = await cli(['run', ...evals, '--model', 'mock-obedient', '--cache', 'off', '--db', plainDb]);
    expect(p.code, p.stderr).toBe(0);
    expect(passes(batchDb)).toEqual(passes(plainDb));
  }, 90_000);
});

describe('--max-cost', () => {
  it('stops at the budget: nothing is sent that could pass it, the run is marked budget_exceeded', async () => {
    const db = join(dir, 'budget.sqlite');
    // mock-* is priced at $1 per 1M input and $2 per 1M output tokens. Each request reserves its prompt and its whole
    // output cap (25,000 tokens for the mock's reasoning-model capabilities: $0.05); its answer costs under $0.001. So
    // the run stops once less than $0.05 of the $0.06 is left: after about $0.01 of answers.
    const out = await cli(['run', '--eval', 'ih-tutor-jailbreak:system-message', '--limit', '60', '--concurrency', '2', '--max-cost', '0.06', '--json', '--db', db]);
    expect(out.code).toBe(3);
    const report = JSON.parse(out.stdout);
    expect(report.run.status).toBe('budget_exceeded');
    expect(report.run.params.output_caps).toEqual({ 'mock-hierarchy': 25_000 });
    expect(report.run.cost.usd).toBeGreaterThan(0.0095);
    expect(report.run.cost.usd).toBeLessThanOrEqual(0.06);
    expect(report.run.cost).toMatchObject({ max_usd: 0.06 });
    expect(report.run.cost.over_usd).toBeUndefined();
    const n = report.results.find((r: any) => r.metric === 'accuracy').n;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(60);
  }, 60_000);

  it('refuses a budget for a model with no known price, before any request', async () => {
    const server = await startMockServerProcess();
    try {
      const out = await cli(['run', '--base-url', server.url, '--model', 'some-local-model', '--max-cost', '1', '--db', join(dir, 'noprice.sqlite')]);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/--max-cost needs a price for some-local-model/);
      expect((await stats(server.url)).requests).toBe(0);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe('--shard and merge', () => {
  it('two shards merge into one completed run with the same items and scores as an unsharded run', async () => {
    const whole = join(dir, 'whole.sqlite');
    const s1 = join(dir, 'shard1.sqlite');
    const s2 = join(dir, 'shard2.sqlite');
    const merged = join(dir, 'merged.sqlite');
    for (const [db, extra] of [[whole, []], [s1, ['--shard', '1/2']], [s2, ['--shard', '2/2']]] as const) {
      const out = await cli(['run', ...evals, '--model', 'mock-obedient', ...extra, '--db', db]);
      expect(out.code, out.stderr).toBe(0);
    }
    const a = Object.keys(passes(s1));
    const b = Object.keys(passes(s2));
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(a.filter((k) => b.includes(k))).toEqual([]);

    const m = await cli(['merge', s1, s2, '--into', merged]);
    expect(m.code, m.stderr).toBe(0);
    const conn = new Database(merged, { readonly: true });
    const runs = conn.prepare('SELECT status FROM runs').all() as Array<{ status: string }>;
    conn.close();
    expect(runs).toEqual([{ status: 'completed' }]);
    expect(passes(merged)).toEqual(passes(whole));
    // The shards' request bodies came along: every merged item's conversation reads back whole.
    const store = new Store(merged);
    const items = store.items(store.latestRun()!.id).filter((i) => i.status === 'scored');
    expect(items.every((i) => (store.transcriptOf(i)?.messages.length ?? 0) > 0)).toBe(true);
    store.close();
    // The merged run's rows count what the unsharded run's count (the selection holds attacks and controls).
    const rowsOf = async (db: string) => JSON.parse((await cli(['report', 'latest', '--format', 'json', '--db', db])).stdout).results.map((r: any) => [r.eval, r.variant, r.metric, r.n, r.passed]);
    const mergedRows = await rowsOf(merged);
    expect(mergedRows.find((r: any[]) => r[0] === 'ih-tutor-jailbreak')[3]).toBeGreaterThan(0);
    expect(mergedRows).toEqual(await rowsOf(whole));
  }, 90_000);
});

describe('--dry-run', () => {
  it('estimates requests, tokens and cost and writes nothing, not even an empty database', async () => {
    const db = join(dir, 'dry.sqlite');
    const out = await cli(['run', ...evals, '--model', 'mock-hierarchy', '--dry-run', '--db', db]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/30 requests/);
    expect(out.stdout).toMatch(/estimated cost: about \$0\.\d\d/);
    expect(existsSync(db)).toBe(false);
  }, 60_000);
});
