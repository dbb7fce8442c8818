// Signals at the edges of a run (issue: signals, hostile servers, row 5 and 6): SIGHUP during a sandbox execution is
// handled like SIGTERM (the execution finishes, the item is stored as interrupted, no container is left, exit 3,
// resumable), and Ctrl-C once the run has ended and is printing its report changes nothing: exit 0.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cleanEnv, cli, start } from './cli.js';
import { chatCompletion, scriptedServer, sendJson } from '../runners/scripted-server.js';
import { probeDocker, SANDBOX_LABEL } from '../../docker/sandbox.js';
import { Store } from '../../results/store.js';

const dir = mkdtempSync(join(tmpdir(), 'cardeval-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const docker = new Docker();
const probe = await probeDocker({ docker });
const skipDocker = !process.env.CI && !(probe.engine && probe.image);
if (skipDocker) console.warn(`[tests/e2e] skipping the SIGHUP sandbox test: ${probe.detail}`);

const containersOf = async (pid: number) =>
  (await docker.listContainers({ all: true, filters: { label: [`${SANDBOX_LABEL}=1`] } })).filter((c) => c.Labels['cardeval.owner']?.includes(`:${pid}:`));

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(skipDocker)('SIGHUP during a sandbox execution', () => {
  it('finishes the execution, stores the item as interrupted, leaves no container, exits 3, and resume finishes it', async () => {
    const slowCall = { id: 'call_1', type: 'function', function: { name: 'python', arguments: JSON.stringify({ code: 'import time\ntime.sleep(3)\nprint(2)' }) } };
    const server = await scriptedServer((_req, res, body) =>
      sendJson(res, 200, body.messages.some((m: { role: string }) => m.role === 'tool') ? chatCompletion({ content: 'ANSWER: 2' }) : chatCompletion({ content: null, tool_calls: [slowCall] })),
    );
    const db = join(dir, 'hup.sqlite');
    try {
      const child = start(['run', '--db', db, '--base-url', server.url, '--model', 'gpt-4o', '--eval', 'tool-format:native-tools', '--limit', '1', '--sandbox', 'docker'], cleanEnv());
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const exited = new Promise<[number | null, string | null]>((resolve) => child.on('close', (code, signal) => resolve([code, signal])));
      await until('no running sandbox container', async () => ((await containersOf(child.pid!)).some((c) => c.State === 'running') ? true : undefined));
      child.kill('SIGHUP');
      expect(await exited, stderr).toEqual([3, null]);
      expect(stderr).toMatch(/interrupted/);
      expect(await containersOf(child.pid!)).toEqual([]);
      const store = new Store(db);
      const run = store.listRuns()[0];
      const errored = store.erroredItems(run.id, 5);
      store.close();
      expect(run.status).toBe('incomplete');
      expect(errored.map((i) => i.error_kind)).toEqual(['interrupted']);
      const resumed = await cli(['resume', run.id, '--db', db], cleanEnv());
      expect(resumed.code, resumed.stderr).toBe(0);
    } finally {
      await server.close();
    }
  }, 90_000);
});

describe('Ctrl-C after the run has ended', () => {
  it('while the report is being printed: exit 0, and the report is whole', async () => {
    // stdout is a FIFO this test holds open and does not read yet: the ~100 KB JSON report does not fit in it, so the
    // CLI, its run completed, is still writing the report out when SIGINT arrives.
    const fifo = join(dir, 'stdout.fifo');
    execFileSync('mkfifo', [fifo]);
    const fd = openSync(fifo, 'r+');
    const evals = ['ih-password-protection', 'ih-phrase-protection', 'ih-tutor-jailbreak', 'ih-developer-user-conflict', 'ih-system-user-conflict', 'ih-system-developer-conflict'];
    const db = join(dir, 'late.sqlite');
    const args = ['run', ...evals.flatMap((e) => ['--eval', e]), '--limit', '1', '--db', db, '--json'];
    const child = spawn(process.execPath, [bin, ...args], { env: cleanEnv(), stdio: ['ignore', fd, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<[number | null, string | null]>((resolve) => child.on('close', (code, signal) => resolve([code, signal])));
    try {
      const completed = () => {
        if (!existsSync(db)) return undefined;
        const store = new Store(db);
        try {
          return store.listRuns()[0]?.status === 'completed' ? true : undefined;
        } catch {
          return undefined; // not yet made
        } finally {
          store.close();
        }
      };
      await until('the run never completed', completed, 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the report is written, as far as the FIFO takes it
      expect(child.exitCode).toBeNull();
      child.kill('SIGINT');
      // Now read it (cat ends once every writer is gone: the CLI, then this test's descriptor).
      let out = '';
      const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
      reader.stdout.on('data', (d) => (out += d));
      const read = new Promise((resolve) => reader.on('close', resolve));
      expect(await exited, stderr).toEqual([0, null]);
      // The note "SIGINT: the run has already ended" is not asserted: the signal comes while stdout blocks on the FIFO,
      // and the process may finish writing and exit before its handler runs (seen under load). Exit 0 is the point.
      expect(stderr).not.toMatch(/interrupted \(SIGINT\)/);
      closeSync(fd);
      await read;
      expect(JSON.parse(out).run.status).toBe('completed');
    } finally {
      try {
        closeSync(fd);
      } catch {
        // closed above
      }
    }
  }, 90_000);
});
