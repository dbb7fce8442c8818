// The sandbox contract every implementation (docker, local) fulfils: limits, requests, results.

export interface SandboxLimits {
  /** Wall-clock limit from start; the process is killed when it passes. */
  timeoutMs: number;
  /** Memory (RAM, no swap) for the whole container. */
  memoryBytes: number;
  /** CPU quota in 1e-9 CPUs (1e9 = one CPU). */
  nanoCpus: number;
  /** Processes and threads in the container. */
  pidsLimit: number;
  /** Bytes kept from stdout and, separately, from stderr. */
  outputBytes: number;
  /** Size of the /work and /tmp tmpfs, each. */
  tmpfsBytes: number;
}

export const defaultLimits: SandboxLimits = Object.freeze({
  timeoutMs: 10_000,
  memoryBytes: 256 * 1024 * 1024,
  nanoCpus: 1_000_000_000,
  pidsLimit: 64,
  outputBytes: 16 * 1024,
  tmpfsBytes: 16 * 1024 * 1024,
});

export interface ExecRequest {
  /** Python source, run as `__main__` in the working directory. */
  code: string;
  /** Relative path -> UTF-8 text, written into the working directory before the code runs. */
  files?: Record<string, string>;
  /** Aborting kills and removes the container; runPython then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The process's exit status; null when the sandbox killed it (time limit or output flood). */
  exitCode: number | null;
  timedOut: boolean;
  /** stdout or stderr went past `outputBytes` and was cut. */
  truncated: boolean;
  /** The kernel's OOM killer fired inside the container (docker only). */
  oomKilled: boolean;
  /** From process start to exit, in milliseconds. */
  durationMs: number;
}

export interface Sandbox {
  readonly kind: 'docker' | 'local';
  runPython(req: ExecRequest): Promise<ExecResult>;
  /** Kills what is running, rejects what is queued, and waits until everything is removed. */
  close(): Promise<void>;
}

export function resolveLimits(partial?: Partial<SandboxLimits>): SandboxLimits {
  const limits = { ...defaultLimits, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`sandbox limit ${name} must be a positive number, got ${value}`);
  }
  return limits;
}
