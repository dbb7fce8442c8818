// Containers a dead cardeval process left behind: the in-container watchdog ends them at the limit, and
// removeOrphanedContainers removes them (and only them). Each test counts only containers carrying its own label value.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { containerSpec, dockerSandbox, probeDocker, removeOrphanedContainers, watchdogSeconds, WATCHDOG_GRACE_MS } from '../../docker/sandbox.js';
import { defaultLimits } from '../../core/sandbox.js';

const docker = new Docker();
const probe = await probeDocker({ docker });
const skipDocker = !process.env.CI && !(probe.engine && probe.image);
if (skipDocker) console.warn(`[tests/docker] skipping cleanup tests: ${probe.detail} (set CI=1 to make this a failure)`);

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'busy-container.ts');
const labelsUsed: string[] = [];
function testLabel(): { value: string; filter: string } {
  const value = randomBytes(6).toString('hex');
  labelsUsed.push(value);
  return { value, filter: `cardeval.test=${value}` };
}
const ours = (filter: string, status?: string[]) => docker.listContainers({ all: true, filters: { label: [filter], ...(status ? { status } : {}) } });

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

afterAll(async () => {
  if (skipDocker) return;
  for (const value of labelsUsed) {
    for (const c of await ours(`cardeval.test=${value}`)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => {});
  }
});

describe('the in-container watchdog', () => {
  it('is PID 1 of the container command, set past the host limit by the grace', () => {
    const spec = containerSpec('img', { ...defaultLimits, timeoutMs: 60_000 });
    expect(spec.Cmd?.slice(0, 4)).toEqual(['timeout', '-s', 'KILL', '62']);
    expect(WATCHDOG_GRACE_MS).toBe(2_000);
    expect(watchdogSeconds(1_500)).toBe('4'); // ceil(3.5)
  });
});

describe.skipIf(skipDocker)('SIGINT to a process that handles it itself (the CLI)', () => {
  it('leaves the running execution to finish instead of killing it under the model (no fake exit code 137)', async () => {
    const label = testLabel();
    const ownSigint = path.join(path.dirname(fixture), 'own-sigint.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', ownSigint, label.value], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitFor('no running container appeared', async () => (await ours(label.filter, ['running']))[0], 20_000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const seen = JSON.parse(stdout);
    expect(seen.interrupted).toBe(true);
    expect(seen.result).toMatchObject({ exitCode: 0, timedOut: false, stdout: 'finished\n' });
    expect(await ours(label.filter)).toEqual([]);
  }, 30_000);
});

describe.skipIf(skipDocker)('a sandbox whose host process was killed with SIGKILL', () => {
  it('stops at its own limit, and the next removeOrphanedContainers removes it and says whose it was', async () => {
    const label = testLabel();
    const limitMs = 3_000;
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, label.value, String(limitMs)], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const running = await waitFor('no running container appeared', async () => (await ours(label.filter, ['running']))[0], 20_000);
    const started = Date.now();
    child.kill('SIGKILL');
    await exited;
    // The host can no longer kill it; the watchdog must, by limit + grace (+ slack for a loaded machine).
    await waitFor('the container still runs', async () => ((await ours(label.filter, ['running'])).length === 0 ? true : undefined), limitMs + WATCHDOG_GRACE_MS + 10_000);
    expect(Date.now() - started).toBeLessThan(limitMs + WATCHDOG_GRACE_MS + 10_000);
    const left = await ours(label.filter);
    // Stopped by its watchdog: exited, or already being removed by a parallel test file's cleanup (see below).
    expect(left.map((c) => c.State).filter((state) => state !== 'exited' && state !== 'removing')).toEqual([]);

    // A run starting meanwhile in another test file cleans up the same way and may have removed it first; otherwise
    // this call removes it and names its dead owner.
    const removed = await removeOrphanedContainers({ docker, label: label.filter });
    if (left.length === 1 && removed.length === 1) {
      expect(removed).toEqual([{ id: running.Id, owner: expect.stringContaining(`:${child.pid}:`), state: 'exited' }]);
      expect(removed[0].owner.startsWith(`${os.hostname()}:`)).toBe(true);
    }
    expect(removed.length).toBeLessThanOrEqual(1);
    expect(await ours(label.filter)).toEqual([]);
  }, 60_000);

  it('leaves the containers of a live process alone', async () => {
    const label = testLabel();
    const sandbox = dockerSandbox({ docker, labels: { 'cardeval.test': label.value } });
    try {
      const run = sandbox.runPython({ code: 'import time\ntime.sleep(3)\nprint("done")' });
      await waitFor('no running container appeared', async () => (await ours(label.filter, ['running']))[0], 20_000);
      expect(await removeOrphanedContainers({ docker, label: label.filter })).toEqual([]);
      expect((await run).stdout).toBe('done\n');
    } finally {
      await sandbox.close();
    }
  }, 30_000);
});
