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

/**
 * Installed on first use of a sandbox (never at import). On SIGINT/SIGTERM it removes what is live;
 * if no one else listens for the signal it then re-raises it, so the default exit still happens.
 * A CLI with its own handler should await removeAllSandboxContainers() before exiting.
 */
export function installSignalCleanup(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const handler = (): void => {
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
