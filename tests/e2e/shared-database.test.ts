// Databases through the CLI: another application's file is refused untouched, read-only
// commands create nothing, four runs share one --db and all finish, and rescore respects a run's lease.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cleanEnv, cli, start } from './cli.js';
import { sha256 } from '../../core/hash.js';
import { startMockServer, type MockServer } from '../../runners/mock/server.js';

vi.setConfig({ testTimeout: 120_000 });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-db-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** stderr without the mock's first line. */
const errorLines = (stderr: string) => stderr.trim().split('\n').filter((l) => !l.startsWith('no OPENAI_API_KEY'));

describe("another application's database", () => {
  it('`runs` and `report` exit 2 with one line, and the file keeps its bytes, journal mode and version', async () => {
    const path = join(dir, 'app.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE runs (id INTEGER PRIMARY KEY, distance_km REAL); INSERT INTO runs (distance_km) VALUES (5.2)`);
    db.close();
    const before = sha256(readFileSync(path));
    for (const args of [['runs'], ['report']]) {
      const out = await cli([...args, '--db', path]);
      expect(out.code, out.stderr).toBe(2);
      expect(errorLines(out.stderr)).toEqual([`error: database ${path} is not a cardeval database (it holds another application's tables; a wrong --db or CARDEVAL_DB?); it was left as it was`]);
    }
    expect(sha256(readFileSync(path))).toBe(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('app.sqlite'))).toEqual(['app.sqlite']);
  });
});

describe('read-only commands', () => {
  it('`doctor` and `compare` on a missing --db create nothing', async () => {
    const missing = join(dir, 'nowhere', 'cardeval.sqlite');
    const doctor = await cli(['doctor', '--json', '--db', missing]);
    const check = JSON.parse(doctor.stdout).checks.find((c: { name: string }) => c.name === 'database');
    expect(check).toMatchObject({ ok: true, detail: `no database at ${missing} yet: \`cardeval run\` creates it` });
    const compare = await cli(['compare', 'latest', 'latest', '--db', missing]);
    expect(compare.code).toBe(2);
    expect(errorLines(compare.stderr)[0]).toMatch(/^error: no database at /);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });
});

describe('four runs at once on one --db', () => {
  // Before: "database is locked" stopped 2 of the 4 (exit 3, most items not yet run): a batch transaction began as a
  // read and could not become a write once another process had committed.
  it('all finish, each with every item scored', async () => {
    const db = join(dir, 'shared.sqlite');
    const args = ['run', '--db', db, '--eval', 'ih-password-protection:user-message', '--eval', 'ih-phrase-protection:user-message', '--limit', '150', '--concurrency', '16', '--json'];
    const outs = await Promise.all([0, 1, 2, 3].map(() => cli(args)));
    for (const out of outs) {
      expect(out.code, out.stderr).toBe(0);
      expect(JSON.parse(out.stdout).run.status).toBe('completed');
    }
    const check = new Database(db, { readonly: true });
    const counts = check.prepare(`SELECT run_id, SUM(status = 'scored') AS scored, COUNT(*) AS n FROM items GROUP BY run_id`).all();
    check.close();
    expect(counts).toHaveLength(4);
    for (const c of counts as Array<{ scored: number; n: number }>) expect(c).toEqual({ ...c, scored: 300, n: 300 });
  }, 240_000);
});

describe('rescore of a run being worked on', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ latencyMs: 400 });
  });
  afterAll(() => server.close());

  it('exits 2 naming the process that holds it, as resume does', async () => {
    const db = join(dir, 'leased.sqlite');
    const env = cleanEnv({ OPENAI_API_KEY: 'sk-test-rescore-0000' });
    const running = start(['run', '--db', db, '--base-url', server.url, '--model', 'mock-hierarchy', '--eval', 'ih-password-protection:user-message', '--limit', '300', '--concurrency', '2'], env); // about 60 s of work: still going when rescore starts
    let stderr = '';
    running.stderr!.on('data', (d) => (stderr += d));
    const closed = new Promise((resolve) => running.once('close', resolve));
    try {
      while (server.stats().requests < 4 && running.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
      const runId = stderr.match(/run (run-\S+):/)?.[1];
      expect(runId, stderr).toBeDefined();
      const rescore = await cli(['rescore', runId!, '--db', db], env);
      expect(rescore.code, rescore.stderr).toBe(2);
      expect(rescore.stderr.trim()).toMatch(new RegExp(`^error: run ${runId} is being worked on by process \\S+ \\(last heartbeat \\d+ s ago\\); wait for it to end, or stop it first$`));
    } finally {
      running.kill('SIGKILL');
      await closed;
    }
  });
});
