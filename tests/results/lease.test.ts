// Who holds a run's lease: a process of this host is asked directly (gone, zombie, or a reused pid lose it at once);
// another host's holder keeps it while its heartbeat is fresh.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEASE_OWNER, Store, leaseHeld, type RunRecord } from '../../results/store.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const startOf = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[19];

/** A process that has exited but that its parent (python, asleep) never reaps: a zombie. */
async function zombie(): Promise<number> {
  const parent = spawn('python3', ['-c', 'import os, time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(60)'], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => parent.kill('SIGKILL'));
  const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
  while (readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z') await new Promise((r) => setTimeout(r, 10));
  return pid;
}

describe('leaseHeld', () => {
  const now = Date.now();

  it('holds for this live process, recorded with its start time', () => {
    expect(LEASE_OWNER).toBe(`${hostname()}:${process.pid}@${startOf(process.pid)}`);
    expect(leaseHeld(LEASE_OWNER, now, now)).toBe(true);
  });

  it('does not hold for a zombie, which kill(pid, 0) still finds', async () => {
    const pid = await zombie();
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(leaseHeld(`${hostname()}:${pid}`, now, now)).toBe(false);
  });

  it('does not hold for another process under the recorded pid (a pid reused), nor for a pid that is gone', () => {
    expect(leaseHeld(`${hostname()}:${process.pid}@${Number(startOf(process.pid)) - 1}`, now, now)).toBe(false);
    const gone = spawnSync('true').pid!;
    expect(leaseHeld(`${hostname()}:${gone}`, now, now)).toBe(false);
  });

  it("holds for another host's process until its heartbeat is 60 s old", () => {
    expect(leaseHeld('elsewhere.example:1@123', now - 59_000, now)).toBe(true);
    expect(leaseHeld('elsewhere.example:1@123', now - 61_000, now)).toBe(false);
  });
});

describe('Store.acquireLease', () => {
  it('takes a run held by a zombie over at once, and refuses one held by a live process, naming it as host:pid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardeval-lease-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = new Store(join(dir, 'db.sqlite'));
    cleanups.push(() => store.close());
    const run: RunRecord = { id: 'r1', created: 'now', finished: null, model: 'm', provider: 'mock', base_url: null, api: 'chat', params: {}, harness_version: '0', git_sha: null, dataset_hashes: {}, role_profile: 'native', status: 'running', error: null };
    store.createRun(run, []);
    const holdBy = (owner: string) => store.db.prepare('UPDATE runs SET lease_owner = ?, lease_heartbeat = ? WHERE id = ?').run(owner, Date.now(), 'r1');

    holdBy(`${hostname()}:${await zombie()}`);
    store.acquireLease('r1');
    expect(store.getRun('r1')!.lease_owner).toBe(LEASE_OWNER);

    const live = spawn('sleep', ['60']);
    cleanups.push(() => live.kill('SIGKILL'));
    await new Promise((r) => live.once('spawn', r));
    holdBy(`${hostname()}:${live.pid}@${startOf(live.pid!)}`);
    expect(() => store.acquireLease('r1')).toThrow(new RegExp(`^run r1 is being worked on by process ${hostname()}:${live.pid} \\(last heartbeat 0 s ago\\)`));
  });
});
