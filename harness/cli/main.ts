// The cardeval command's entry: parses (program.ts), runs the command, and turns every error into one line and an exit code.
import { CommanderError } from 'commander';
import { CardevalError, INTERNAL_ERROR_EXIT, redact } from '../../core/errors.js';
import { buildProgram } from './program.js';
import { keepHeapSmall } from './heap.js';
import { guardStdout } from './stdout.js';

/** The exit code of a parse error (commander says 1; bad usage is 2, as the README's exit codes say). */
const USAGE_EXIT = 2;

async function main(argv: string[]): Promise<number> {
  const { program, exit } = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit.code;
  } catch (error) {
    // commander has already printed its message (naming the option or argument) and the hint to --help.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT;
    throw error;
  }
}

/** One line per error; a CardevalError carries its exit code, anything else is a bug (exit 70). Keys never print. */
function reportError(error: unknown, debug: boolean): number {
  const secrets = [process.env.OPENAI_API_KEY];
  if (error instanceof CardevalError) {
    process.stderr.write(`error: ${redact(error.message, secrets)}\n`);
    if (debug && error.stack) process.stderr.write(redact(error.stack, secrets) + '\n');
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`internal error: ${redact(message.split('\n')[0], secrets)}${debug ? '' : ' (--debug or CARDEVAL_DEBUG=1 shows the stack)'}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(redact(error.stack, secrets) + '\n');
  return INTERNAL_ERROR_EXIT;
}

guardStdout();
keepHeapSmall();
const argv = process.argv.slice(2);
const debug = argv.includes('--debug') || process.env.CARDEVAL_DEBUG === '1';
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error, debug);
  },
);
