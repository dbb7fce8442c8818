// The `--sandbox local` opt-in: a plain python3 subprocess in a temp dir. Same timeout and truncation; no isolation.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { limitedSandbox } from './limited.js';
import { buildPayload, PYTHON_ARGS } from './boot.js';
import { CappedOutput } from './capture.js';
import { installSignalCleanup, track } from './cleanup.js';
import { SandboxError } from '../core/errors.js';
import { resolveLimits, type ExecResult, type Sandbox, type SandboxLimits } from '../core/sandbox.js';

/** Seconds past the time limit at which the in-namespace `timeout` kills the code itself (cardeval killed first). */
const WATCHDOG_GRACE_S = 2;

export interface LocalContainment {
  kind: 'pid-namespace' | 'none';
  /** One line for the user: what contains the code, and its limits. */
  detail: string;
  /** The command the code runs under, before `timeout` and python3. */
  prefix: string[];
}

let containment: LocalContainment | undefined;

/**
 * How the local sandbox contains a process tree here, found once: a new PID namespace (`unshare --pid --fork
 * --kill-child`, with a user namespace when not root) whose init is coreutils `timeout`. When the code's first process
 * ends, or its time limit (plus a grace) is reached, or cardeval dies, the namespace's init exits and the kernel kills
 * everything left in it, setsid() escapees included; `timeout` runs on its own, so the limit holds when cardeval was
 * killed with SIGKILL. Where unshare is refused (no user namespaces, not Linux): none, and the run says so.
 */
export function localContainment(): LocalContainment {
  if (containment) return containment;
  const user = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
  const prefix = ['unshare', ...user, '--pid', '--fork', '--kill-child', '--'];
  const probe = process.platform === 'linux' ? spawnSync(prefix[0], [...prefix.slice(1), 'timeout', '5', 'true'], { stdio: 'ignore', timeout: 5_000 }) : undefined;
  containment =
    probe?.status === 0
      ? {
          kind: 'pid-namespace',
          prefix,
          detail: `each execution runs in its own PID namespace (unshare${user.length ? ', with a user namespace' : ''}): every process it starts ends with it, and its time limit holds (+${WATCHDOG_GRACE_S} s) even if cardeval is killed; the network, the filesystem and your user's rights stay reachable`,
        }
      : {
          kind: 'none',
          prefix: [],
          detail: 'this machine refuses a PID namespace (unshare), so nothing contains the code: a process it starts with setsid() outlives it, and if cardeval is killed nothing enforces the time limit',
        };
  return containment;
}

/**
 * Runs code with the host's python3, as the current user, with the network and the whole filesystem
 * reachable. Only the time limit, output caps and an address-space rlimit apply. The caller warns.
 * @example const sandbox = localSandbox({ limits: { timeoutMs: 5_000 } });
 */
export function localSandbox(opts: { limits?: Partial<SandboxLimits>; concurrency?: number; python?: string } = {}): Sandbox {
  const limits = resolveLimits(opts.limits);
  const python = opts.python ?? 'python3';
  return limitedSandbox(
    'local',
    opts.concurrency ?? Math.max(1, os.availableParallelism()),
    (req) => buildPayload(req, { rlimitAs: limits.memoryBytes }),
    (payload, signal, closing) => runOnce(python, payload, limits, signal, closing),
  );
}

async function runOnce(python: string, payload: Buffer, limits: SandboxLimits, signal: AbortSignal | undefined, closing: AbortSignal): Promise<ExecResult> {
  installSignalCleanup();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cardeval-local-'));
  let untrack = (): void => {};
  try {
    const { prefix } = localContainment();
    const [command, ...args] = prefix.length
      ? [...prefix, 'timeout', '-s', 'KILL', String(Math.ceil(limits.timeoutMs / 1000) + WATCHDOG_GRACE_S), python, ...PYTHON_ARGS]
      : [python, ...PYTHON_ARGS];
    const child = spawn(command, args, {
      cwd: dir,
      // Its own process group, so the time limit kills grandchildren too.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TMPDIR: dir, LANG: 'C.UTF-8', PYTHONIOENCODING: 'utf-8' },
    });
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    // Stragglers the code left behind would otherwise hold stdout open; docker ends them the same way.
    child.once('exit', killGroup);
    untrack = track(async () => killGroup());

    const stdout = new CappedOutput(limits.outputBytes);
    const stderr = new CappedOutput(limits.outputBytes);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => {}); // the code may exit before reading all of stdin
    child.stdin.end(payload);

    const started = performance.now();
    let timedOut = false;
    let aborted = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, limits.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    closing.addEventListener('abort', onAbort, { once: true });

    try {
      const exitCode = await new Promise<number | null>((resolve, reject) => {
        child.once('error', (error: NodeJS.ErrnoException) => {
          reject(
            error.code === 'ENOENT'
              ? new SandboxError(`${python} was not found on PATH: the local sandbox needs a Python 3 interpreter`, { cause: error })
              : new SandboxError(`could not start ${python}: ${error.message}`, { cause: error }),
          );
        });
        // 'close' waits for stdout/stderr to end, so the capture is complete.
        child.once('close', (code) => resolve(code));
      });
      const durationMs = Math.round(performance.now() - started);
      if (aborted) throw signal?.aborted ? signal.reason : new SandboxError('sandbox is closed');
      return {
        stdout: stdout.text(),
        stderr: stderr.text(),
        exitCode: timedOut ? null : exitCode,
        timedOut,
        truncated: stdout.truncated || stderr.truncated,
        oomKilled: false,
        durationMs,
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      closing.removeEventListener('abort', onAbort);
    }
  } finally {
    untrack();
    await rm(dir, { recursive: true, force: true });
  }
}
