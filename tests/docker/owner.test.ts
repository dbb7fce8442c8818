// Who owns a sandbox container (issue: processes that outlive the run, row 10). Cleanup used to key on `host:pid`, which
// two processes in two PID namespaces of one host share: one's Ctrl-C could remove the other's running sandbox. The
// owner id now carries a random token, the PID namespace and the process start time.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { OWNER, OWNER_LABEL, removeAllSandboxContainers, removeOrphanedContainers } from '../../docker/cleanup.js';
import { probeDocker, SANDBOX_IMAGE, SANDBOX_LABEL } from '../../docker/sandbox.js';
import { projectRoot } from '../../core/root.js';

const docker = new Docker();
const probe = await probeDocker({ docker });
const skipDocker = !process.env.CI && !(probe.engine && probe.image);
if (skipDocker) console.warn(`[tests/docker] skipping owner tests: ${probe.detail} (set CI=1 to make this a failure)`);
/** New PID namespaces need root (or user namespaces); CI runs as root. */
const canUnshare = (() => {
  try {
    execFileSync('unshare', ['--pid', '--fork', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const label = randomBytes(6).toString('hex');
const filter = `cardeval.test=${label}`;
afterAll(async () => {
  if (skipDocker) return;
  for (const c of await docker.listContainers({ all: true, filters: { label: [filter] } })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => {});
});

/** A stopped container labelled as a sandbox of `owner` (never started: only its labels matter here). */
async function containerOf(owner: string): Promise<string> {
  const c = await docker.createContainer({ Image: SANDBOX_IMAGE, Cmd: ['true'], Labels: { [SANDBOX_LABEL]: '1', [OWNER_LABEL]: owner, 'cardeval.test': label } });
  return c.id;
}
const exists = async (id: string) => (await docker.listContainers({ all: true, filters: { id: [id] } })).length === 1;

const ownPidNamespace = readlinkSync('/proc/self/ns/pid').replace(/\D/g, '');
/** A pid no process of this namespace has. */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}

describe.skipIf(!canUnshare)('the owner id', () => {
  it('differs between two processes with the same host and pid in two PID namespaces', () => {
    const ownerIn = () =>
      execFileSync('unshare', ['--pid', '--fork', process.execPath, '--import', 'tsx', '-e', "import('./docker/cleanup.ts').then((m) => console.log(m.OWNER, process.pid))"], { cwd: projectRoot }).toString().trim();
    const [a, b] = [ownerIn(), ownerIn()];
    expect(a.split(' ')[1]).toBe('1'); // both are pid 1 of their namespace
    expect(b.split(' ')[1]).toBe('1');
    expect(a.split(' ')[0]).not.toBe(b.split(' ')[0]);
  });
});

describe.skipIf(skipDocker)('cleanup keyed on the owner id', () => {
  it("Ctrl-C cleanup leaves a container of another process that shares this host and pid", async () => {
    const other = `${os.hostname()}:${process.pid}`; // what a process with our pid in another namespace was labelled
    const id = await containerOf(OWNER.replace(/[^:]+$/, 'a0a0a0a0'));
    const legacy = await containerOf(other);
    await removeAllSandboxContainers({ docker });
    expect(await exists(id)).toBe(true);
    expect(await exists(legacy)).toBe(true);
  });

  it('removes orphans of a dead process of this namespace, and of a reused pid whose start time differs', async () => {
    const [host, , , , token] = OWNER.split(':');
    const dead = await containerOf(`${host}:${ownPidNamespace}:${deadPid()}:123:${token}x`);
    // pid 1 is alive here, but it did not start at tick 1: its pid was reused, the owner is gone.
    const reused = await containerOf(`${host}:${ownPidNamespace}:1:1:${token}y`);
    const removed = await removeOrphanedContainers({ docker, label: filter });
    expect(removed.map((r) => r.id).sort()).toEqual([dead, reused].sort());
  });

  it('leaves a container whose owner is in another PID namespace, even when its pid is free in ours', async () => {
    const [host, , , , token] = OWNER.split(':');
    const elsewhere = await containerOf(`${host}:1${ownPidNamespace}:${deadPid()}:123:${token}z`);
    expect(await removeOrphanedContainers({ docker, label: filter })).toEqual([]);
    expect(await exists(elsewhere)).toBe(true);
  });

  it('leaves the containers of this live process', async () => {
    const mine = await containerOf(OWNER);
    expect(await removeOrphanedContainers({ docker, label: filter })).toEqual([]);
    expect(await exists(mine)).toBe(true);
  });
});
