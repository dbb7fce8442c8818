// Databases the store is pointed at: another application's file is refused untouched, a
// damaged run row is named, and merge reads its sources without writing them (an old-schema shard is not migrated).
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { EnvironmentError, ConfigError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import { CARDEVAL_APPLICATION_ID, Store, type RunRecord } from '../../results/store.js';
import { migrations } from '../../results/schema.js';
import { mergeCommand } from '../../harness/cli/merge.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cardeval-own-'));
  dirs.push(dir);
  return dir;
}

const run = (id: string, extra: Partial<RunRecord> = {}): RunRecord => ({ id, created: 'now', finished: null, model: 'm', provider: 'mock', base_url: null, api: 'chat', params: {}, harness_version: '0', git_sha: null, dataset_hashes: {}, role_profile: 'native', status: 'completed', error: null, ...extra });

function openError(path: string, opts?: { create?: boolean; readOnly?: boolean }): unknown {
  try {
    new Store(path, opts).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Another application's database, in rollback-journal mode, with a `runs` table of its own. */
function foreignDatabase(dir: string): string {
  const path = join(dir, 'app.sqlite');
  const db = new Database(path);
  db.exec(`CREATE TABLE runs (id INTEGER PRIMARY KEY, distance_km REAL); INSERT INTO runs (distance_km) VALUES (5.2), (10)`);
  db.pragma('user_version = 7');
  db.close();
  return path;
}

describe("another application's database", () => {
  it('is refused, read-only or not, with exit 2, and left byte for byte as it was', () => {
    const dir = tempDir();
    const path = foreignDatabase(dir);
    const before = sha256(readFileSync(path));
    for (const opts of [{}, { create: false }, { readOnly: true }]) {
      const error = openError(path, opts);
      expect(error, JSON.stringify(opts)).toBeInstanceOf(EnvironmentError);
      expect((error as EnvironmentError).exitCode).toBe(2);
      expect((error as Error).message).toBe(
        `database ${path} is not a cardeval database (it holds another application's tables; a wrong --db or CARDEVAL_DB?); it was left as it was`,
      );
    }
    expect(sha256(readFileSync(path))).toBe(before);
    expect(readdirSync(dir)).toEqual(['app.sqlite']);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    db.close();
  });

  it('a new database carries the cardeval mark; one made before the mark still opens', () => {
    const dir = tempDir();
    const fresh = new Store(join(dir, 'new.sqlite'));
    expect(fresh.db.pragma('application_id', { simple: true })).toBe(CARDEVAL_APPLICATION_ID);
    fresh.close();
    const older = join(dir, 'older.sqlite');
    const db = new Database(older);
    for (const m of migrations.slice(0, 3)) db.exec(m);
    db.pragma('user_version = 3');
    db.close();
    const store = new Store(older);
    expect(store.listRuns()).toEqual([]);
    store.close();
  });

  it('an empty file is a new database for run, and refused by read-only commands (create: false)', () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.sqlite');
    new Database(empty).close();
    expect((openError(empty, { create: false }) as Error).message).toMatch(/empty\.sqlite is empty, not a cardeval database/);
    expect(readFileSync(empty).length).toBe(0);
    expect(openError(empty)).toBeUndefined();
  });
});

describe('a run row that is not JSON', () => {
  it('getRun, latestRun and listRuns name the run and the field, exit 2', () => {
    const path = join(tempDir(), 'db.sqlite');
    const store = new Store(path);
    store.createRun(run('run-bad'), []);
    store.db.prepare(`UPDATE runs SET params = '{"limit": 5' WHERE id = 'run-bad'`).run();
    const expected = `database ${path}: run run-bad: field "params" is not JSON; restore a copy of the database, or delete the run`;
    for (const read of [() => store.getRun('run-bad'), () => store.latestRun(), () => store.listRuns()]) {
      expect(read).toThrow(EnvironmentError);
      expect(read).toThrow(expected);
    }
    store.db.prepare(`UPDATE runs SET params = '{}', dataset_hashes = 'oops' WHERE id = 'run-bad'`).run();
    expect(() => store.getRun('run-bad')).toThrow(/run run-bad: field "dataset_hashes" is not JSON/);
    store.close();
  });
});

describe('merge', () => {
  const quiet = <T>(f: () => Promise<T>): Promise<T> => {
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    return f().finally(() => (process.stderr.write = write));
  };

  function shard(dir: string, name: string, id: string, index: number): string {
    const path = join(dir, name);
    const store = new Store(path);
    store.createRun(run(id, { params: { shard: { index, count: 2 } } }), [{ key: `k${index}`, eval: 'e', variant: 'v', sample_id: `s${index}`, epoch: 0 }]);
    store.close();
    return path;
  }

  it('refuses an --into that exists, exit 2, and leaves it as it was', async () => {
    const dir = tempDir();
    const a = shard(dir, 'a.sqlite', 'run-x-aaaaaa', 1);
    const b = shard(dir, 'b.sqlite', 'run-x-bbbbbb', 2);
    const into = join(dir, 'merged.sqlite');
    expect(await quiet(() => mergeCommand([a, b], into))).toBe(0);
    const before = sha256(readFileSync(into));
    const error = await quiet(() => mergeCommand([a, b], into)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toBe(`--into ${into} already exists; merge writes a new file (merging into it again would copy its runs twice)`);
    expect(sha256(readFileSync(into))).toBe(before);
    const merged = new Store(into, { create: false });
    expect(merged.listRuns()).toHaveLength(1);
    merged.close();
  });

  it('reads an old-schema shard without migrating it, and merges its run', async () => {
    const dir = tempDir();
    const current = shard(dir, 'a.sqlite', 'run-y-aaaaaa', 1);
    // A shard written by a cardeval of schema 3 (before leases and shared request bodies).
    const old = join(dir, 'old.sqlite');
    const db = new Database(old);
    for (const m of migrations.slice(0, 3)) db.exec(m);
    db.pragma('user_version = 3');
    db.prepare(
      `INSERT INTO runs (id, created, model, provider, api, params, harness_version, dataset_hashes, role_profile, status)
       VALUES ('run-y-bbbbbb', 'now', 'm', 'mock', 'chat', '{"shard":{"index":2,"count":2}}', '0', '{}', 'native', 'completed')`,
    ).run();
    db.prepare(`INSERT INTO items (run_id, key, eval, variant, sample_id, epoch, seq, status) VALUES ('run-y-bbbbbb', 'k2', 'e', 'v', 's2', 0, 0, 'pending')`).run();
    db.close();
    const before = sha256(readFileSync(old));

    const into = join(dir, 'merged.sqlite');
    expect(await quiet(() => mergeCommand([current, old], into))).toBe(0);
    expect(sha256(readFileSync(old))).toBe(before);
    const reread = new Database(old, { readonly: true });
    expect(reread.pragma('user_version', { simple: true })).toBe(3);
    reread.close();
    const merged = new Store(into, { create: false });
    const [only] = merged.listRuns();
    expect(only).toMatchObject({ items: 2, status: 'completed' });
    expect(merged.items(only.id).map((i) => i.key).sort()).toEqual(['k1', 'k2']);
    merged.close();
    // No temporary copy is left beside the sources or the output.
    expect(readdirSync(dir).sort()).toEqual(['a.sqlite', 'merged.sqlite', 'old.sqlite']);
    expect(existsSync(`${old}-wal`)).toBe(false);
  });
});
