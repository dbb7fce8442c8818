// ResultWriter on a real SQLite file, watched from a second connection as another process would see it.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Store, type ItemResult, type RunRecord } from '../../results/store.js';
import { ResultWriter } from '../../results/writer.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(items: number) {
  const dir = mkdtempSync(join(tmpdir(), 'cardeval-writer-'));
  dirs.push(dir);
  const path = join(dir, 'db.sqlite');
  const store = new Store(path);
  const run: RunRecord = { id: 'r1', created: 'now', finished: null, model: 'm', provider: 'mock', base_url: null, api: 'chat', params: {}, harness_version: '0', git_sha: null, dataset_hashes: {}, role_profile: 'native', status: 'running', error: null };
  store.createRun(run, Array.from({ length: items }, (_, i) => ({ key: `k${i}`, eval: 'e', variant: 'v', sample_id: `s${i}`, epoch: 0 })));
  const other = new Database(path, { readonly: true });
  const committed = () => (other.prepare("SELECT COUNT(*) AS n FROM items WHERE status = 'scored'").get() as { n: number }).n;
  return { store, other, committed };
}

/** Item i scored, answered by calls of these costs (undefined: a cache hit; null: no known price). */
const scored = (i: number, costs: Array<number | null | undefined> = [undefined]): ItemResult => ({
  run_id: 'r1',
  key: `k${i}`,
  status: 'scored',
  completions: costs.map((cost_usd, n) => ({ hash: `h${i}.${n}`, request: '{}', response: `{"n":${n}}`, latency_ms: 1, cost_usd })),
  scores: [{ metric: 'm', value: 1, pass: true, reason: 'ok', grader_version: '1' }],
});

describe('ResultWriter', () => {
  it('commits every `items` results, with the cost of the batch', () => {
    const { store, other, committed } = setup(5);
    const writer = new ResultWriter(store, 'r1', { items: 2, ms: 60_000 });
    writer.write(scored(0, [0.5]));
    expect(committed()).toBe(0);
    writer.write(scored(1, [0.25, null]));
    expect(committed()).toBe(2);
    expect(other.prepare('SELECT cost_usd, unpriced_calls FROM runs').get()).toEqual({ cost_usd: 0.75, unpriced_calls: 1 });
    writer.write(scored(2));
    writer.commit();
    expect(committed()).toBe(3);
    other.close();
    store.close();
  });

  it('commits a batch that is not full once `ms` have passed', async () => {
    const { store, other, committed } = setup(3);
    const writer = new ResultWriter(store, 'r1', { items: 100, ms: 30 });
    writer.write(scored(0));
    expect(committed()).toBe(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(committed()).toBe(1);
    other.close();
    store.close();
  });

  it('drops the open batch when a write fails, so its items stay to be done again, and throws', () => {
    const { store, other, committed } = setup(3);
    const writer = new ResultWriter(store, 'r1', { items: 100, ms: 60_000 });
    writer.write(scored(0));
    // A score for an item the run does not have breaks the foreign key.
    expect(() => writer.write({ ...scored(1), key: 'no-such-item' })).toThrow(/FOREIGN KEY/);
    expect(store.db.inTransaction).toBe(false);
    expect((store.db.prepare("SELECT COUNT(*) AS n FROM items WHERE status = 'scored'").get() as { n: number }).n).toBe(0);
    writer.write(scored(2));
    writer.commit();
    expect(committed()).toBe(1);
    other.close();
    store.close();
  });

  it('commits a paid answer within `answerMs`, and its result refers to it without counting its cost twice', async () => {
    const { store, other } = setup(2);
    const writer = new ResultWriter(store, 'r1', { items: 100, ms: 60_000, answerMs: 20 });
    const stored = () => (other.prepare('SELECT COUNT(*) AS n FROM completions').get() as { n: number }).n;
    const result = scored(0, [0.5]);
    writer.writeAnswer(result.completions[0]);
    expect(stored()).toBe(0); // still in the open transaction
    await new Promise((r) => setTimeout(r, 60));
    expect(stored()).toBe(1);
    expect(other.prepare('SELECT cost_usd FROM runs').get()).toEqual({ cost_usd: 0.5 });
    writer.write(result);
    writer.commit();
    expect(other.prepare("SELECT completion_hash FROM items WHERE key = 'k0'").get()).toEqual({ completion_hash: 'h0.0' });
    expect(other.prepare('SELECT cost_usd FROM runs').get()).toEqual({ cost_usd: 0.5 });
    expect(stored()).toBe(1);
    other.close();
    store.close();
  });

  it('writes a paid answer at the end of the event-loop turn, or at once when its result or a commit comes first', async () => {
    const { store, other } = setup(2);
    const writer = new ResultWriter(store, 'r1', { items: 100, ms: 60_000, answerMs: 60_000 });
    const written = () => (store.db.prepare('SELECT COUNT(*) AS n FROM completions').get() as { n: number }).n; // this connection: uncommitted rows too
    const first = scored(0, [0.5]);
    writer.writeAnswer(first.completions[0]);
    expect(written()).toBe(0); // the worker sends its next request first
    await new Promise((r) => setImmediate(r));
    expect(written()).toBe(1);
    const second = scored(1, [0.25]);
    writer.writeAnswer(second.completions[0]);
    writer.write(second); // in the same turn: the answer is written first, under its own key, and paid for once
    expect(written()).toBe(2);
    writer.write(first);
    writer.commit();
    expect(other.prepare('SELECT key, completion_hash FROM items ORDER BY key').all()).toEqual([{ key: 'k0', completion_hash: 'h0.0' }, { key: 'k1', completion_hash: 'h1.0' }]);
    expect(other.prepare('SELECT cost_usd FROM runs').get()).toEqual({ cost_usd: 0.75 });
    other.close();
    store.close();
  });

  it('an answer written in a batch that a failure dropped is written again by its result, and paid for once', async () => {
    const { store, other } = setup(2);
    const writer = new ResultWriter(store, 'r1', { items: 100, ms: 60_000, answerMs: 60_000 });
    const result = scored(0, [0.5]);
    writer.writeAnswer(result.completions[0]);
    await new Promise((r) => setImmediate(r)); // written into the open batch
    expect(() => writer.write({ ...scored(1), key: 'no-such-item' })).toThrow(/FOREIGN KEY/); // the batch is dropped
    writer.write(result);
    writer.commit();
    expect(other.prepare('SELECT hash FROM completions').all()).toEqual([{ hash: 'h0.0' }]);
    expect(other.prepare("SELECT completion_hash FROM items WHERE key = 'k0'").get()).toEqual({ completion_hash: 'h0.0' });
    expect(other.prepare('SELECT cost_usd FROM runs').get()).toEqual({ cost_usd: 0.5 });
    other.close();
    store.close();
  });

  it('a second fresh answer to a request already answered is kept apart, and its item refers to that copy', async () => {
    const { store, other } = setup(2);
    const writer = new ResultWriter(store, 'r1', { items: 100, ms: 60_000 });
    const first = scored(0, [0.5]);
    const again = { ...scored(1, [0.5]), completions: [{ ...first.completions[0], response: '{"other":1}' }] };
    writer.write(first);
    writer.writeAnswer(again.completions[0]);
    writer.write(again);
    writer.commit();
    const hashes = other.prepare('SELECT key, completion_hash FROM items ORDER BY key').all() as Array<{ key: string; completion_hash: string }>;
    expect(hashes[0].completion_hash).toBe('h0.0');
    expect(hashes[1].completion_hash).toMatch(/^h0\.0:[0-9a-f]{16}$/);
    expect(other.prepare('SELECT cost_usd FROM runs').get()).toEqual({ cost_usd: 1 });
    other.close();
    store.close();
  });
});
