// Tracks every live sandbox process or container of this process, and removes them on SIGINT/SIGTERM or on request.
import os from 'node:os';
import Docker from 'dockerode';
import { SANDBOX_LABEL } from './constants.js';

/** Label value naming this process, so a Ctrl-C here never removes another run's containers. */
export const OWNER_LABEL = 'cardeval.owner';
export const OWNER = `${os.hostname()}:${process.pid}`;

type Cleanup = () => Promise<void>;
const live = new Map<object, Cleanup>();
let handlersInstalled = false;
/** A hung engine must not make Ctrl-C hang too. */
const SIGNAL_CLEANUP_MS = 5_000;

/** Registers a live container or process; returns the function that forgets it. */
export function track(cleanup: Cleanup): () => void {
  const key = {};
  live.set(key, cleanup);
  return () => live.delete(key);
}

async function cleanupLive(): Promise<void> {
  const pending = [...live.values()];
  live.clear();
  await Promise.allSettled(pending.map((cleanup) => cleanup()));
}

/**
 * Removes this process's sandbox containers (all cardeval containers with `everyProcess`) and kills
 * local sandbox processes. The CLI awaits this before exiting; returns how many containers it removed.
 * A missing engine is not an error here: there is nothing to remove.
 */
export async function removeAllSandboxContainers(opts: { docker?: Docker; everyProcess?: boolean } = {}): Promise<number> {
  await cleanupLive();
  const docker = opts.docker ?? new Docker();
  const label = [`${SANDBOX_LABEL}=1`];
  if (!opts.everyProcess) label.push(`${OWNER_LABEL}=${OWNER}`);
  let containers: Docker.ContainerInfo[];
  try {
    containers = await docker.listContainers({ all: true, filters: { label } });
  } catch {
    return 0;
  }
  const removed = await Promise.allSettled(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  return removed.filter((r) => r.status === 'fulfilled').length;
}

export interface OrphanRemoval {
  id: string;
  /** The `cardeval.owner` label: `host:pid` of the process that made it. */
  owner: string;
  /** The container's state when found (`running`, `exited`, …). */
  state: string;
}

/** Whether a process of this host is alive (EPERM: alive, someone else's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes sandbox containers whose owner (`cardeval.owner` = host:pid) is a dead process of this host: what a
 * kill -9 or a crash left. Containers of live processes and of other hosts sharing the engine are left alone.
 * `label` narrows the search (tests count only their own). Never throws: no engine means nothing to remove.
 */
export async function removeOrphanedContainers(opts: { docker?: Docker; label?: string; timeoutMs?: number } = {}): Promise<OrphanRemoval[]> {
  const docker = opts.docker ?? new Docker();
  const label = [`${SANDBOX_LABEL}=1`, ...(opts.label ? [opts.label] : [])];
  const work = async (): Promise<OrphanRemoval[]> => {
    const containers = await docker.listContainers({ all: true, filters: { label } });
    const host = os.hostname();
    const orphans = containers.filter((c) => {
      const owner = c.Labels?.[OWNER_LABEL] ?? '';
      const at = owner.lastIndexOf(':');
      const pid = Number(owner.slice(at + 1));
      return at > 0 && owner.slice(0, at) === host && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid);
    });
    const removed = await Promise.allSettled(orphans.map((c) => docker.getContainer(c.Id).remove({ force: true })));
    return orphans.filter((_, i) => removed[i].status === 'fulfilled').map((c) => ({ id: c.Id, owner: c.Labels[OWNER_LABEL], state: c.State }));
  };
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<OrphanRemoval[]>((resolve) => (timer = setTimeout(() => resolve([]), opts.timeoutMs ?? 5_000)));
  try {
    return await Promise.race([work().catch(() => []), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

/** One line for the user about removed leftovers, or undefined when there were none. */
export function describeOrphans(removed: OrphanRemoval[]): string | undefined {
  if (removed.length === 0) return undefined;
  const list = removed.map((r) => `${r.id.slice(0, 12)} (${r.state}, owner ${r.owner})`).join(', ');
  return `removed ${removed.length} sandbox container${removed.length === 1 ? '' : 's'} left by dead cardeval processes: ${list}`;
}

/**
 * Installed on first use of a sandbox (never at import). On SIGINT/SIGTERM with no one else listening it removes
 * what is live and re-raises the signal, so the default exit still happens. When someone else listens (the CLI),
 * that listener owns the shutdown: running executions are left to finish within their own limit (killing them
 * would hand the model a fake `exit code 137`), and it must close the sandbox, or await
 * removeAllSandboxContainers(), before exiting.
 */
export function installSignalCleanup(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const handler = (): void => {
      if (process.listenerCount(signal) > 1) return;
      const gaveUp = new Promise<void>((resolve) => setTimeout(resolve, SIGNAL_CLEANUP_MS).unref());
      void Promise.race([cleanupLive(), gaveUp]).finally(() => {
        if (process.listenerCount(signal) === 1) {
          process.removeListener(signal, handler);
          process.kill(process.pid, signal);
        }
      });
    };
    process.on(signal, handler);
  }
}
