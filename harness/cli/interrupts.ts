// SIGINT, SIGTERM and SIGHUP during `run` and `resume`: the first stops dispatching, the second quits at once, and once
// the run has ended they no longer change its exit code.
import { constants } from 'node:os';
import { removeAllSandboxContainers } from '../../docker/sandbox.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface RunInterrupts {
  /** Aborted by the first signal while the run is going. */
  signal: AbortSignal;
  /** The run has ended with this exit code: a signal from now on does not interrupt it. */
  ended(code: number): void;
}

/**
 * Installs the handlers for the rest of the process's life. While the run goes, the first signal stops dispatching
 * (requests and sandbox executions in flight finish and are written) and the second removes this process's containers
 * and exits 128 + the signal's number. SIGHUP (a closed terminal, an ssh session gone) is handled the same way: killing
 * the process outright would leave the run `running` and a container behind. Once the run has ended, its work is done:
 * a signal while the report is printed and the sandbox closed is noted, a second exits at once with the run's own code.
 * The handlers stay installed after the command returns, so a Ctrl-C while stdout drains cannot turn exit 0 into 130.
 */
export function runInterrupts(log: (line: string) => void): RunInterrupts {
  const stop = new AbortController();
  let endedWith: number | undefined;
  let lateSignals = 0;
  const onSignal = (name: (typeof SIGNALS)[number]) => {
    if (endedWith !== undefined) {
      if (lateSignals++ === 0) log(`${name}: the run has already ended; finishing its output (again to quit now)`);
      else process.exit(endedWith);
      return;
    }
    if (stop.signal.aborted) {
      // Quitting at once: this process's containers go first (at most 5 s), so none is left to its watchdog.
      void removeAllSandboxContainers().finally(() => process.exit(128 + constants.signals[name]));
      return;
    }
    log(`\ninterrupted (${name}): finishing requests and sandbox executions in flight, sending nothing new (again to quit at once)`);
    stop.abort();
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  return {
    signal: stop.signal,
    ended(code) {
      endedWith = code;
    },
  };
}
