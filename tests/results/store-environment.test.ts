// Errors of the environment around the store: a database path that is a directory, a file
// that is not a database or is corrupted, read-only opens that never create anything, a full disk while results are
// written (the writer's timer included), and merges that refuse missing or repeated sources.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { EnvironmentError } from '../../core/errors.js';
import { Store, type ItemResult, type RunRecord } from '../../results/store.js';
import { ResultWriter } from '../../results/writer.js';
import { mergeDatabases, readSources } from '../../results/merge.js';
import { migrations } from '../../results/schema.js';
import Database from 'better-sqlite3';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cardeval-env-'));
  dirs.push(dir);
  return dir;
}

const run = (id: string, extra: Partial<RunRecord> = {}): RunRecord => ({ id, created: 'now', finished: null, model: 'm', provider: 'mock', base_url: null, api: 'chat', params: {}, harness_version: '0', git_sha: null, dataset_hashes: {}, role_profile: 'native', status: 'completed', error: null, ...extra });
const scored = (i: number, bytes = 10): ItemResult => ({
  run_id: 'r1',
  key: `k${i}`,
  status: 'scored',
  // Random text: the store packs bodies, and a repeated character would pack into a few bytes.
  completions: [{ hash: `h${i}`, request: '{}', response: randomBytes(bytes).toString('base64').slice(0, bytes), latency_ms: 1 }],
  scores: [{ metric: 'm', value: 1, pass: true, reason: 'ok', grader_version: '1' }],
});

function openError(path: string, opts?: { create?: boolean }): unknown {
  try {
    new Store(path, opts).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('opening a database', () => {
  it('refuses a directory with one line naming it, exit code 2', () => {
    const dir = tempDir();
    const error = openError(dir);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).exitCode).toBe(2);
    expect((error as Error).message).toBe(`database ${dir} is a directory; --db and CARDEVAL_DB take a file path (e.g. ${join(dir, 'cardeval.sqlite')})`);
  });

  it('refuses a file that is not a database, and leaves it as it was', () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'hello, not sqlite\n'.repeat(100));
    const error = openError(file);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(/notes\.txt: not an SQLite database/);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a corrupted database', () => {
    const file = join(tempDir(), 'db.sqlite');
    const store = new Store(file);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    // Everything after the 100-byte header, over the first pages (the schema), turns to garbage.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(8000, 0xa5), 0, 8000, 100);
    closeSync(fd);
    const error = openError(file);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(/db\.sqlite: (corrupted|not an SQLite database)/);
  });

  it('with create: false, refuses a missing file and creates neither it nor its directory', () => {
    const dir = tempDir();
    const path = join(dir, 'typo', 'cardeval.sqlite');
    const error = openError(path, { create: false });
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(/^no database at .*typo\/cardeval\.sqlite/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a path under a regular file', () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, '');
    expect(openError(join(file, 'db.sqlite'))).toBeInstanceOf(EnvironmentError);
  });
});

describe('a full disk while results are written', () => {
  function setup(items: number) {
    const path = join(tempDir(), 'db.sqlite');
    const store = new Store(path);
    store.createRun(run('r1', { status: 'running' }), Array.from({ length: items }, (_, i) => ({ key: `k${i}`, eval: 'e', variant: 'v', sample_id: `s${i}`, epoch: 0 })));
    return store;
  }
  const statuses = (store: Store) => store.items('r1').map((i) => i.status);

  it('a failed write drops its batch, keeps the failure as an EnvironmentError, and refuses later writes', () => {
    const store = setup(3);
    const writer = new ResultWriter(store, 'r1', { items: 10, ms: 60_000 });
    writer.write(scored(0));
    // SQLite's page ceiling gives the same SQLITE_FULL a full disk does.
    store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true })}`);
    expect(() => writer.write(scored(1, 200_000))).toThrow(/disk full/);
    expect(writer.failure).toBeInstanceOf(EnvironmentError);
    expect(() => writer.write(scored(2))).toThrow(/disk full/);
    expect(store.db.inTransaction).toBe(false);
    expect(statuses(store)).toEqual(['pending', 'pending', 'pending']);
    store.close();
  });

  it('a commit failing in the timer throws nothing uncaught; the next write reports it', async () => {
    const store = setup(2);
    const writer = new ResultWriter(store, 'r1', { items: 10, ms: 10 });
    writer.write(scored(0));
    store.addRunCost = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    await new Promise((resolve) => setTimeout(resolve, 60)); // an uncaught throw here would fail the test file
    expect(writer.failure).toBeInstanceOf(EnvironmentError);
    expect(() => writer.write(scored(1))).toThrow(/disk full/);
    expect(store.db.inTransaction).toBe(false);
    expect(statuses(store)).toEqual(['pending', 'pending']);
    store.close();
  });
});

describe('merge sources', () => {
  function shard(dir: string, name: string, id: string): string {
    const path = join(dir, name);
    const store = new Store(path);
    store.createRun(run(id, { params: { shard: { index: 1, count: 2 } } }), [{ key: 'k', eval: 'e', variant: 'v', sample_id: 's', epoch: 0 }]);
    store.close();
    return path;
  }

  it('refuses a missing source and creates nothing', () => {
    const dir = tempDir();
    const a = shard(dir, 'a.sqlite', 'run-a');
    expect(() => readSources([a, join(dir, 'typo.sqlite')])).toThrow(/no database at .*typo\.sqlite/);
    expect(existsSync(join(dir, 'typo.sqlite'))).toBe(false);
  });

  it('refuses the same shard twice, as the same file or as a copy', () => {
    const dir = tempDir();
    const a = shard(dir, 'a.sqlite', 'run-a');
    const copy = shard(dir, 'copy.sqlite', 'run-a');
    expect(() => readSources([a, a])).toThrow(/a\.sqlite is given twice/);
    expect(() => readSources([a, copy])).toThrow(/run run-a is in both .*a\.sqlite and .*copy\.sqlite; each shard can be merged once/);
    const into = new Store(join(dir, 'into.sqlite'));
    expect(() => mergeDatabases([a, copy], into)).toThrow(/each shard can be merged once/);
    expect(into.listRuns()).toEqual([]);
    into.close();
  });
});


describe('two processes opening one database at once', () => {
  it('migrate it once: the second finds the work done instead of failing on the tables the first made', async () => {
    const path = join(tempDir(), 'new.sqlite');
    // The first process, here: it holds the write lock while it migrates.
    const first = new Database(path);
    first.pragma('journal_mode = WAL');
    first.exec('BEGIN IMMEDIATE');
    const second = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'open-store.ts'), path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    second.stdout.on('data', (d) => (out += d));
    second.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => second.on('exit', resolve));
    while (!out.includes('opening') && second.exitCode === null) await sleep(20);
    await sleep(1000); // the second has read the version (0, nothing committed) and waits for the lock
    for (const m of migrations) first.exec(m);
    first.pragma(`user_version = ${migrations.length}`);
    first.exec('COMMIT');
    expect(await exited, err).toBe(0);
    expect(out).toContain('opened');
    expect(first.pragma('user_version', { simple: true })).toBe(migrations.length);
    first.close();
  }, 30_000);
});
