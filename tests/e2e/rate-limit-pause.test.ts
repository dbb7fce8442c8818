// A server that asks for a long pause (issue: signals and hostile servers, row 1): a 429 with retry-after 3600, or 200s
// saying nothing is left until a reset a day away. The pause is capped by --max-pause and said on stderr, and SIGTERM
// during it ends the run within seconds, exit 3, resumable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chatCompletion, scriptedServer, sendJson } from '../runners/scripted-server.js';
import { cli, cleanEnv, start } from './cli.js';
import { Store } from '../../results/store.js';

const dir = mkdtempSync(join(tmpdir(), 'cardeval-pause-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runArgs = (url: string, db: string, extra: string[] = []) => ['run', '--db', db, '--base-url', url, '--model', 'gpt-4o', '--cache', 'off', '--eval', 'ih-password-protection:user-message', '--limit', '2', '--concurrency', '1', ...extra];
const answer = chatCompletion({ content: 'I cannot share that.' });

describe('a long rate-limit pause', () => {
  it('retry-after 3600 is capped by --max-pause and said on stderr', async () => {
    const server = await scriptedServer((_req, res, _body, i) => (i === 0 ? sendJson(res, 429, { error: { message: 'slow down', type: 'rate_limit' } }, { 'retry-after': '3600' }) : sendJson(res, 200, answer)));
    try {
      const started = Date.now();
      const out = await cli(runArgs(server.url, join(dir, 'capped.sqlite'), ['--max-pause', '2']), cleanEnv());
      expect(out.code, out.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(out.stderr).toMatch(/rate limit: the server asked for a pause of 3600 s \(retry-after\); pausing 2 s \(--max-pause\)/);
    } finally {
      await server.close();
    }
  }, 40_000);

  it('remaining 0 until a reset a day away is a pause, capped the same way', async () => {
    const headers = { 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '86400s' };
    const server = await scriptedServer((_req, res) => sendJson(res, 200, answer, headers));
    try {
      const out = await cli(runArgs(server.url, join(dir, 'reset.sqlite'), ['--max-pause', '1']), cleanEnv());
      expect(out.code, out.stderr).toBe(0);
      expect(out.stderr).toMatch(/rate limit: the server asked for a pause of 86400 s \(x-ratelimit-reset-requests\); pausing 1 s \(--max-pause\)/);
    } finally {
      await server.close();
    }
  }, 40_000);

  it('SIGTERM during the pause ends the run within seconds, exit 3, and resume finishes it', async () => {
    let limited = true;
    const server = await scriptedServer((_req, res) => (limited ? sendJson(res, 429, { error: { message: 'slow down', type: 'rate_limit' } }, { 'retry-after': '3600' }) : sendJson(res, 200, answer)));
    const db = join(dir, 'term.sqlite');
    try {
      const child = start(runArgs(server.url, db), cleanEnv());
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const deadline = Date.now() + 30_000;
      while (!/pausing 180 s/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(stderr).toMatch(/pausing 180 s \(--max-pause\)/); // the default cap: 3 minutes
      const signalled = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(3);
      expect(Date.now() - signalled).toBeLessThan(5_000);
      const store = new Store(db);
      const run = store.listRuns()[0];
      store.close();
      expect(run.status).toBe('incomplete');
      limited = false;
      const resumed = await cli(['resume', run.id, '--db', db], cleanEnv());
      expect(resumed.code, resumed.stderr).toBe(0);
    } finally {
      await server.close();
    }
  }, 60_000);
});
