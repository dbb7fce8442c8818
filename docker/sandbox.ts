// The docker sandbox: one locked-down, throwaway container per Python execution; plus the engine probe and re-exports.
import os from 'node:os';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { limitedSandbox } from './limited.js';
import { buildPayload, PYTHON_ARGS } from './boot.js';
import { CappedOutput } from './capture.js';
import { dockerClient, installSignalCleanup, OWNER, OWNER_LABEL, track } from './cleanup.js';
import { SandboxError } from '../core/errors.js';
import { resolveLimits, type ExecResult, type Sandbox, type SandboxLimits } from '../core/sandbox.js';
import { SANDBOX_IMAGE, SANDBOX_LABEL, SANDBOX_UID, SANDBOX_WORKDIR } from './constants.js';

export { SandboxError } from '../core/errors.js';
export { localSandbox } from './local.js';
export { describeOrphans, removeAllSandboxContainers, removeOrphanedContainers, type OrphanRemoval } from './cleanup.js';
export { defaultLimits } from '../core/sandbox.js';
export { SANDBOX_IMAGE, SANDBOX_LABEL, SANDBOX_UID, SANDBOX_WORKDIR } from './constants.js';
export type { ExecRequest, ExecResult, Sandbox, SandboxLimits } from '../core/sandbox.js';

/** A runaway print loop is killed once it has produced this many times the kept output (at least 1 MiB). */
const FLOOD_FACTOR = 64;
/** After the container exits, how long to wait for the attach stream to deliver the last bytes. */
const DRAIN_MS = 2_000;
/**
 * The container's own watchdog fires this long after the host's time limit: the host kills first and reports
 * `timedOut`; the watchdog only matters when the host process died (kill -9, crash) and nobody else will kill it.
 */
export const WATCHDOG_GRACE_MS = 2_000;

/**
 * Runs each execution in a fresh container: no network, read-only root, tmpfs /work and /tmp,
 * memory/CPU/pids limits, uid 10001, no capabilities, no-new-privileges, killed at the time limit,
 * and always removed afterwards.
 * @example
 *   const sandbox = dockerSandbox({ concurrency: 4 });
 *   const { stdout } = await sandbox.runPython({ code: 'print(open("a.txt").read())', files: { 'a.txt': 'hi' } });
 *   await sandbox.close();
 */
export function dockerSandbox(
  opts: {
    image?: string;
    limits?: Partial<SandboxLimits>;
    concurrency?: number;
    docker?: Docker;
    /** Extra container labels (tests tag their own containers so they count only those). */
    labels?: Record<string, string>;
  } = {},
): Sandbox {
  const image = opts.image ?? SANDBOX_IMAGE;
  const limits = resolveLimits(opts.limits);
  const docker = opts.docker ?? dockerClient();
  const spec = containerSpec(image, limits, opts.labels);
  return limitedSandbox('docker', opts.concurrency ?? Math.min(4, os.availableParallelism()), (req) => buildPayload(req), (payload, signal, closing) =>
    runInContainer(docker, image, spec, limits, payload, signal, closing),
  );
}

/** The container's whole configuration: everything the isolation rests on is here. */
export function containerSpec(image: string, limits: SandboxLimits, labels: Record<string, string> = {}): Docker.ContainerCreateOptions {
  const user = `${SANDBOX_UID}:${SANDBOX_UID}`;
  return {
    Image: image,
    // coreutils `timeout` is PID 1 and kills the whole process group at the limit (plus a grace), so a container
    // cannot outlive its limit when the host process that would kill it is gone. The kernel ignores SIGKILL sent to
    // a namespace's init from inside it, so the sandboxed code cannot kill its watchdog.
    Cmd: ['timeout', '-s', 'KILL', watchdogSeconds(limits.timeoutMs), 'python3', ...PYTHON_ARGS],
    User: user,
    WorkingDir: SANDBOX_WORKDIR,
    Env: ['PATH=/usr/local/bin:/usr/bin:/bin', `HOME=${SANDBOX_WORKDIR}`, 'LANG=C.UTF-8', 'PYTHONIOENCODING=utf-8'],
    Labels: { ...labels, [SANDBOX_LABEL]: '1', [OWNER_LABEL]: OWNER },
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true,
    Tty: false,
    NetworkDisabled: true,
    HostConfig: {
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      Tmpfs: {
        [SANDBOX_WORKDIR]: `rw,exec,nosuid,nodev,size=${limits.tmpfsBytes},uid=${SANDBOX_UID},gid=${SANDBOX_UID},mode=0700`,
        '/tmp': `rw,noexec,nosuid,nodev,size=${limits.tmpfsBytes},mode=1777`,
      },
      Memory: limits.memoryBytes,
      MemorySwap: limits.memoryBytes,
      NanoCpus: limits.nanoCpus,
      PidsLimit: limits.pidsLimit,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      IpcMode: 'private',
      ShmSize: limits.tmpfsBytes,
      Ulimits: [
        { Name: 'nofile', Soft: 256, Hard: 256 },
        { Name: 'core', Soft: 0, Hard: 0 },
      ],
      // Output reaches us over the attach stream only; no log file on the host can grow.
      LogConfig: { Type: 'none', Config: {} },
      AutoRemove: false,
    },
  };
}

/** The in-container limit, in whole seconds as `timeout` takes them. */
export function watchdogSeconds(timeoutMs: number): string {
  return String(Math.ceil((timeoutMs + WATCHDOG_GRACE_MS) / 1000));
}

async function runInContainer(
  docker: Docker,
  image: string,
  spec: Docker.ContainerCreateOptions,
  limits: SandboxLimits,
  payload: Buffer,
  signal: AbortSignal | undefined,
  closing: AbortSignal,
): Promise<ExecResult> {
  installSignalCleanup();
  let container: Docker.Container | undefined;
  let untrack = (): void => {};
  let killedBy: 'timeout' | 'flood' | 'abort' | undefined;
  const kill = (reason: 'timeout' | 'flood' | 'abort'): void => {
    killedBy ??= reason;
    container?.kill().catch(() => {});
  };
  const onAbort = (): void => kill('abort');
  let timer: NodeJS.Timeout | undefined;

  try {
    container = await call('create the container', docker, image, () => docker.createContainer(spec));
    const created = container;
    untrack = track(() => created.remove({ force: true }).catch(() => {}));
    signal?.addEventListener('abort', onAbort, { once: true });
    closing.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted || closing.aborted) throw abortReason(signal);

    const floodBytes = Math.max(1024 * 1024, FLOOD_FACTOR * limits.outputBytes);
    const onData = (): void => {
      if (stdout.seen + stderr.seen > floodBytes) kill('flood');
    };
    const stdout = new CappedOutput(limits.outputBytes, onData);
    const stderr = new CappedOutput(limits.outputBytes, onData);
    const stream = (await call('attach to the container', docker, image, () =>
      created.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true }),
    )) as Duplex;
    const drained = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
    docker.modem.demuxStream(stream, stdout.writable(), stderr.writable());

    await call('start the container', docker, image, () => created.start());
    const started = performance.now();
    timer = setTimeout(() => kill('timeout'), limits.timeoutMs);
    // Ending our side closes the container's stdin, which is how the bootstrap knows the payload is complete.
    stream.end(payload);

    const { StatusCode } = (await call('wait for the container', docker, image, () => created.wait())) as { StatusCode: number };
    const durationMs = Math.round(performance.now() - started);
    clearTimeout(timer);
    // The container's watchdog got there first (a host stalled past the limit): still a timeout, not an exit code.
    if (StatusCode === 137 && durationMs >= limits.timeoutMs) killedBy ??= 'timeout';
    await Promise.race([drained, sleep(DRAIN_MS)]);
    stream.destroy();
    if (killedBy === 'abort') throw abortReason(signal);

    let oomKilled = false;
    if (StatusCode !== 0) {
      const info = await created.inspect().catch(() => undefined);
      oomKilled = info?.State?.OOMKilled === true;
    }
    return {
      stdout: stdout.text(),
      stderr: stderr.text(),
      exitCode: killedBy ? null : StatusCode,
      timedOut: killedBy === 'timeout',
      truncated: stdout.truncated || stderr.truncated || killedBy === 'flood',
      oomKilled,
      durationMs,
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    closing.removeEventListener('abort', onAbort);
    if (container) await container.remove({ force: true }).catch(() => {});
    untrack();
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.aborted ? signal.reason : new SandboxError('sandbox is closed');
}

/** Runs one engine call, turning its failure into a SandboxError that says what to do. */
async function call<T>(step: string, docker: Docker, image: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw await explain(step, docker, image, error);
  }
}

async function explain(step: string, docker: Docker, image: string, error: unknown): Promise<SandboxError> {
  const err = error as { code?: string; statusCode?: number; message?: string };
  const where = await engineAddress(docker);
  if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET' || err.code === 'ETIMEDOUT' || err.code === 'EHOSTUNREACH') {
    return new SandboxError(`no Docker engine answered at ${where}: start one (see docker/README.md) or pass --sandbox local`, { cause: error });
  }
  if (err.code === 'EACCES') {
    return new SandboxError(`permission denied on ${where}: run as a user in the docker group, or pass --sandbox local`, { cause: error });
  }
  if (err.statusCode === 404 && /image/i.test(err.message ?? '')) {
    return new SandboxError(
      `the sandbox image ${image} is missing: build it with docker/build-offline.sh (no registry) or \`docker build -t ${image} docker/\``,
      { cause: error },
    );
  }
  return new SandboxError(`could not ${step} (${where}): ${err.message ?? String(error)}`, { cause: error });
}

async function engineAddress(docker: Docker): Promise<string> {
  const modem = docker.modem as unknown as {
    host?: string;
    port?: string | number;
    protocol?: string;
    socketPath?: string | (() => Promise<string>);
  };
  if (modem.host) return `${modem.protocol ?? 'http'}://${modem.host}${modem.port ? `:${modem.port}` : ''}`;
  if (typeof modem.socketPath === 'string') return modem.socketPath;
  if (typeof modem.socketPath === 'function') {
    try {
      return await modem.socketPath();
    } catch {
      // fall through
    }
  }
  return '/var/run/docker.sock';
}

/**
 * For `cardeval doctor` and for a clear error line before a run: does an engine answer, and does it
 * have the image? Never throws; never pulls.
 */
export async function probeDocker(opts: { image?: string; docker?: Docker; timeoutMs?: number } = {}): Promise<{ engine: boolean; image: boolean; detail: string }> {
  const image = opts.image ?? SANDBOX_IMAGE;
  const docker = opts.docker ?? dockerClient();
  const timeoutMs = opts.timeoutMs ?? 3_000;
  const where = await engineAddress(docker);
  let version: string;
  try {
    const info = await withTimeout(docker.version(), timeoutMs);
    version = String(info.Version);
  } catch (error) {
    const explained = await explain('reach the engine', docker, image, error);
    const message = (error as Error)?.message === 'timeout' ? `no Docker engine answered at ${where} within ${timeoutMs} ms: start one (see docker/README.md) or pass --sandbox local` : explained.message;
    return { engine: false, image: false, detail: message };
  }
  try {
    const info = await withTimeout(docker.getImage(image).inspect(), timeoutMs);
    const mb = Math.round(info.Size / 1e6);
    return { engine: true, image: true, detail: `Docker ${version} at ${where}; image ${image} ${info.Id.slice(7, 19)} (${mb} MB)` };
  } catch (error) {
    return { engine: true, image: false, detail: `Docker ${version} at ${where}; ${(await explain('inspect the image', docker, image, error)).message}` };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
