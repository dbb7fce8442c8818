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

const scored = (i: number): ItemResult => ({
  run_id: 'r1',
  key: `k${i}`,
  status: 'scored',
  completions: [{ hash: `h${i}`, request: '{}', response: '{}', latency_ms: 1 }],
  scores: [{ metric: 'm', value: 1, pass: true, reason: 'ok', grader_version: '1' }],
});

describe('ResultWriter', () => {
  it('commits every `items` results, with the cost of the batch', () => {
    const { store, other, committed } = setup(5);
    const writer = new ResultWriter(store, 'r1', { items: 2, ms: 60_000 });
    writer.write(scored(0), { usd: 0.5, unpriced: 0 });
    expect(committed()).toBe(0);
    writer.write(scored(1), { usd: 0.25, unpriced: 1 });
    expect(committed()).toBe(2);
    expect(other.prepare('SELECT cost_usd, unpriced_calls FROM runs').get()).toEqual({ cost_usd: 0.75, unpriced_calls: 1 });
    writer.write(scored(2), { usd: 0, unpriced: 0 });
    writer.commit();
    expect(committed()).toBe(3);
    other.close();
    store.close();
  });

  it('commits a batch that is not full once `ms` have passed', async () => {
    const { store, other, committed } = setup(3);
    const writer = new ResultWriter(store, 'r1', { items: 100, ms: 30 });
    writer.write(scored(0), { usd: 0, unpriced: 0 });
    expect(committed()).toBe(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(committed()).toBe(1);
    other.close();
    store.close();
  });

  it('drops the open batch when a write fails, so its items stay to be done again, and throws', () => {
    const { store, other, committed } = setup(3);
    const writer = new ResultWriter(store, 'r1', { items: 100, ms: 60_000 });
    writer.write(scored(0), { usd: 0, unpriced: 0 });
    // A score for an item the run does not have breaks the foreign key.
    expect(() => writer.write({ ...scored(1), key: 'no-such-item' }, { usd: 0, unpriced: 0 })).toThrow(/FOREIGN KEY/);
    expect(store.db.inTransaction).toBe(false);
    expect((store.db.prepare("SELECT COUNT(*) AS n FROM items WHERE status = 'scored'").get() as { n: number }).n).toBe(0);
    writer.write(scored(2), { usd: 0, unpriced: 0 });
    writer.commit();
    expect(committed()).toBe(1);
    other.close();
    store.close();
  });
});
