// Tracks every live sandbox process or container of this process, and removes them on SIGINT/SIGTERM or on request.
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import type Docker from 'dockerode';
import { SANDBOX_LABEL } from './constants.js';

/**
 * A client for the local Docker engine. dockerode (ssh2 and gRPC under it) is loaded on the first call, as most
 * commands never touch Docker: loaded at start, it cost every command about 12 MB of memory and 150 ms (`cardeval --help`: 105 MB, 0.56 s).
 */
export function dockerClient(): Docker {
  const DockerClient = createRequire(import.meta.url)('dockerode') as typeof Docker;
  return new DockerClient();
}

/** The label naming the process that made a container, so a Ctrl-C here never removes another run's containers. */
export const OWNER_LABEL = 'cardeval.owner';

/** This process's PID namespace (Linux), or '' where there is none to read. */
function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid').replace(/\D/g, '');
  } catch {
    return '';
  }
}

/** When a process started, in clock ticks since boot (Linux), or '' where it cannot be read. */
function startTime(pid: number | 'self'): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/**
 * `host:pid-namespace:pid:start-time:token`. Host and pid alone collide: two PID namespaces of one host (containers
 * sharing an engine) hand out the same pids. The random token makes the id unique to this process, so removing "this
 * process's containers" never matches another's; namespace and start time let orphan cleanup tell a dead owner from a
 * live one whose pid only looks the same.
 */
export const OWNER = [os.hostname(), pidNamespace(), process.pid, startTime('self'), randomBytes(6).toString('hex')].join(':');

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
  const docker = opts.docker ?? dockerClient();
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
  /** The `cardeval.owner` label of the process that made it (see OWNER). */
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
 * Whether an owner id names a process known to be gone: of this host and PID namespace, and its pid is free or now
 * belongs to a process that started at another time. An owner in another namespace or host cannot be checked from
 * here and is never taken for dead. Ids of older versions (`host:pid`) are judged by host and pid alone.
 */
export function ownerIsDead(owner: string): boolean {
  const parts = owner.split(':');
  if (parts.length !== 2 && parts.length !== 5) return false;
  const [host, namespace, pidText, started] = parts.length === 2 ? [parts[0], pidNamespace(), parts[1], ''] : parts;
  const pid = Number(pidText);
  if (host !== os.hostname() || namespace !== pidNamespace() || !Number.isInteger(pid) || pid <= 0) return false;
  if (owner === OWNER) return false;
  if (!alive(pid)) return true;
  const now = startTime(pid);
  return started !== '' && now !== '' && now !== started;
}

/**
 * Removes sandbox containers whose owner (`cardeval.owner`) is a dead process of this host and PID namespace: what a
 * kill -9 or a crash left. Containers of live processes and of other hosts or namespaces sharing the engine stay.
 * `label` narrows the search (tests count only their own). Never throws: no engine means nothing to remove.
 */
export async function removeOrphanedContainers(opts: { docker?: Docker; label?: string; timeoutMs?: number } = {}): Promise<OrphanRemoval[]> {
  const docker = opts.docker ?? dockerClient();
  const label = [`${SANDBOX_LABEL}=1`, ...(opts.label ? [opts.label] : [])];
  const work = async (): Promise<OrphanRemoval[]> => {
    const containers = await docker.listContainers({ all: true, filters: { label } });
    const orphans = containers.filter((c) => ownerIsDead(c.Labels?.[OWNER_LABEL] ?? ''));
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
 * Installed on first use of a sandbox (never at import). On SIGINT/SIGTERM/SIGHUP with no one else listening it removes
 * what is live and re-raises the signal, so the default exit still happens. When someone else listens (the CLI),
 * that listener owns the shutdown: running executions are left to finish within their own limit (killing them
 * would hand the model a fake `exit code 137`), and it must close the sandbox, or await
 * removeAllSandboxContainers(), before exiting.
 */
export function installSignalCleanup(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
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
