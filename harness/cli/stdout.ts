// stdout that fails under the command: a reader gone (EPIPE) ends quietly, a full disk (ENOSPC, EIO…) is exit 2, one line.

/** The exit code the process ends with because of stdout, whatever the command returned; undefined while it is fine. */
let forcedExit: number | undefined;

/**
 * Installed once by the CLI entry. Node reports a failed stdout write as an 'error' event, which unhandled is a stack
 * trace and exit 1 (the code of a failed gate). A reader that closed the pipe (`| head -c 0`) wants no more output:
 * exit 0, as Unix tools end quietly there. Any other failure means the output is lost: exit 2 with one line.
 */
export function guardStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (forcedExit !== undefined) return;
    if (error.code === 'EPIPE') {
      forcedExit = 0;
    } else {
      forcedExit = 2;
      const reason = error.code === 'ENOSPC' ? 'no space left on device' : error.message;
      process.stderr.write(`error: cannot write to stdout: ${reason}${error.code ? ` (${error.code})` : ''}\n`);
    }
    // Later writes would fail the same way; the command's own work (closing a run, removing containers) goes on.
    process.stdout.write = (() => true) as typeof process.stdout.write;
  });
  // A terminal that hung up (SIGHUP) fails stderr writes too: the run must still end as the signal asks, not crash.
  process.stderr.on('error', () => {});
  process.on('exit', () => {
    if (forcedExit !== undefined) process.exitCode = forcedExit;
  });
}
