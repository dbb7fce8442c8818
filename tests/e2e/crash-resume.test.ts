// A run killed with SIGKILL (its whole process group) and resumed at once: the lease of the dead run is taken over even
// though the killed process is a zombie (nothing reaps it, as in a container whose PID 1 is not an init), the run
// finishes with the scores an uninterrupted run has, and the server is asked again only for what was in flight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, cleanEnv, cli } from './cli.js';
import { startMockServer, type MockServer } from '../../runners/mock/server.js';

let dir: string;
let server: MockServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-crash-'));
  server = await startMockServer({ latencyMs: 100 });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => cleanEnv({ OPENAI_API_KEY: 'sk-test-crash-0000' });
const runArgs = (db: string, extra: string[] = []) => ['run', '--db', db, '--base-url', server.url, '--model', 'mock-hierarchy', '--eval', 'ih-password-protection:user-message', '--limit', '300', ...extra];

/**
 * Starts `cardeval ARGS` in a process group of its own under a parent that never reaps it (python's posix_spawn, then
 * sleep): killed, it stays a zombie, as an orphan does where PID 1 reaps nothing.
 */
function startUnreaped(args: string[]): { parent: ChildProcess; pid: Promise<number>; stderr: () => string } {
  const script = 'import os, sys, time\npid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, setsid=True)\nprint(pid, flush=True)\ntime.sleep(600)';
  const parent = spawn('python3', ['-c', script, process.execPath, bin, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  parent.stderr!.on('data', (d) => (stderr += d));
  const pid = new Promise<number>((resolve) => parent.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
  return { parent, pid, stderr: () => stderr };
}

const processState = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];

function scores(db: string): Array<{ item_key: string; metric: string; value: number }> {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT item_key, metric, value FROM scores ORDER BY item_key, metric').all() as Array<{ item_key: string; metric: string; value: number }>;
  } finally {
    d.close();
  }
}

/** Runs until the server has answered `answered` requests, kills the run's process group, and resumes at once. */
async function killAndResume(db: string, answered: number, extra: string[]) {
  const { parent, pid: pidPromise, stderr } = startUnreaped(runArgs(db, extra));
  try {
    const pid = await pidPromise;
    while (server.stats().requests < answered) await new Promise((resolve) => setTimeout(resolve, 10));
    process.kill(-pid, 'SIGKILL');
    while (processState(pid) !== 'Z') await new Promise((resolve) => setTimeout(resolve, 10));
    const runId = stderr().match(/run (run-\S+):/)?.[1];
    expect(runId, stderr()).toBeDefined();
    // The killed process is still there as a zombie: kill(pid, 0) says it exists, the lease must say it is gone.
    expect(() => process.kill(pid, 0)).not.toThrow();
    const resumed = await cli(['resume', runId!, '--db', db], env());
    return { resumed, zombie: processState(pid) };
  } finally {
    parent.kill('SIGKILL');
  }
}

describe('a run killed with SIGKILL and resumed at once', () => {
  it('takes over the zombie\'s lease at once and finishes with the scores of an uninterrupted run', async () => {
    const whole = join(dir, 'whole.sqlite');
    const done = await cli(runArgs(whole), env());
    expect(done.code, done.stderr).toBe(0);

    server.reset();
    const killed = join(dir, 'killed.sqlite');
    const { resumed, zombie } = await killAndResume(killed, 100, []);
    expect(zombie).toBe('Z');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming run run-\S+: \d+ items to do/);
    const expected = scores(whole);
    expect(expected.length).toBeGreaterThanOrEqual(300);
    expect(scores(killed)).toEqual(expected);
  }, 120_000);

  it('asks the server again for at most the 8 requests that were in flight (100 ms latency, --concurrency 8)', async () => {
    server.reset();
    const db = join(dir, 'repaid.sqlite');
    // Killed at 40% of the 300 requests.
    const { resumed } = await killAndResume(db, 120, ['--concurrency', '8']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const counts = Object.values(server.stats().completionsByConversation);
    expect(counts.length).toBe(300);
    const answeredTwice = counts.filter((n) => n > 1).length;
    expect(answeredTwice, `${answeredTwice} answered requests sent twice`).toBeLessThanOrEqual(8);
  }, 120_000);
});
