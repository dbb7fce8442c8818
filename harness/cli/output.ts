// Writes command output: to stdout, or to a file atomically so a crash never leaves half a report or a temp file.
import { lstatSync, mkdirSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EnvironmentError } from '../../core/errors.js';

/** Symlinks are followed this many times at most (the kernel's own limit), so a loop ends. */
const MAX_LINKS = 40;

function statOrNull(path: string, follow: boolean): Stats | null {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch {
    return null;
  }
}

/** Each path a path leads to as its symlinks are followed; the last is the file itself, whether or not it exists yet. */
function linkChain(path: string): string[] {
  const chain = [resolve(path)];
  while (chain.length <= MAX_LINKS && statOrNull(chain.at(-1)!, false)?.isSymbolicLink()) {
    chain.push(resolve(dirname(chain.at(-1)!), readlinkSync(chain.at(-1)!)));
  }
  return chain;
}

/** The descriptor a path names when it leads through /proc/self/fd/N or /dev/fd/N (as /dev/stdout does). */
function ownDescriptor(chain: string[]): number | undefined {
  for (const hop of chain) {
    const m = /^\/(?:proc\/self|dev)\/fd\/(\d+)$/.exec(hop);
    if (m) return Number(m[1]);
  }
  return undefined;
}

export function writeOutput(text: string, file?: string): void {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  const stat = statOrNull(file, true);
  if (stat?.isDirectory()) throw new EnvironmentError(`--out ${file} is a directory; give a file path`);
  const fail = (error: unknown) => new EnvironmentError(`--out ${file}: cannot be written (${(error as Error).message})`, { cause: error });
  const chain = linkChain(file);
  const fd = ownDescriptor(chain);
  if (fd !== undefined || (stat && !stat.isFile())) {
    // This process's own descriptor (/dev/stdout: a pipe, a socket, a terminal or the file the shell opened), a device
    // or a FIFO is written into: replacing it would destroy it, and a socket cannot be opened by its path.
    try {
      writeFileSync(fd ?? file, text);
    } catch (error) {
      throw fail(error);
    }
    return;
  }
  // A symlink is written through: its target is replaced (the temp file beside it, so the rename stays on one file
  // system) and the link itself is kept.
  const target = chain.at(-1)!;
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw fail(error);
  }
}
