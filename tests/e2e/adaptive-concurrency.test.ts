// Default flags: requests in flight adapt to the rate the server announces in x-ratelimit-* headers, the progress
// display shows the level, and a resumed run keeps the mode it was made with; with no headers the level stays at 8.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, cli, start } from './cli.js';
import { startMockServer, type MockServer } from '../../runners/mock/server.js';

let dir: string;
let limited: MockServer;
let unlimited: MockServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-adaptive-'));
  limited = await startMockServer({ latencyMs: 300, rpm: 6000 });
  unlimited = await startMockServer({ latencyMs: 300 });
});
afterAll(async () => {
  await limited.close();
  await unlimited.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => cleanEnv({ OPENAI_API_KEY: 'sk-test-adaptive-0000' });
const args = (db: string, url: string) => ['run', '--db', db, '--base-url', url, '--model', 'mock-hierarchy', '--eval', 'ih-password-protection:user-message', '--limit', '300'];
/** The levels the progress lines showed ("N in flight at most"). */
const levels = (stderr: string) => [...stderr.matchAll(/(\d+) in flight at most/g)].map((m) => Number(m[1]));

describe('adaptive concurrency through the CLI', () => {
  it('grows past 8 when the headers show headroom, and a resumed run keeps adapting', async () => {
    const db = join(dir, 'limited.sqlite');
    const first = start(args(db, limited.url), env());
    let stderr = '';
    first.stderr!.on('data', (d) => (stderr += d));
    while (limited.stats().requests < 60) await new Promise((resolve) => setTimeout(resolve, 20));
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('close', resolve));
    const runId = stderr.match(/run (run-\S+):/)?.[1];
    expect(runId, stderr).toBeDefined();
    const stored = new Database(db, { readonly: true });
    const params = JSON.parse((stored.prepare('SELECT params FROM runs').get() as { params: string }).params);
    stored.close();
    expect(params.concurrency).toBeUndefined();
    expect(params.max_concurrency).toBe(256);

    const resumed = await cli(['resume', runId!, '--db', db], env());
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toMatch(/resume: concurrency/);
    // 6,000 rpm is 100 a second; at 300 ms an answer that needs 30 in flight, and a quarter more.
    expect(Math.max(...levels(resumed.stderr)), resumed.stderr).toBeGreaterThan(8);
  }, 120_000);

  it('stays at 8 against a server that sends no rate-limit headers', async () => {
    const db = join(dir, 'unlimited.sqlite');
    const done = await cli(args(db, unlimited.url), env());
    expect(done.code, done.stderr).toBe(0);
    expect(levels(done.stderr).length).toBeGreaterThan(0);
    expect(new Set(levels(done.stderr))).toEqual(new Set([8]));
  }, 120_000);
});
