// Writes command output: to stdout, or to a file atomically so a crash never leaves half a report or a temp file.
import { renameSync, writeFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvironmentError } from '../../core/errors.js';

export function writeOutput(text: string, file?: string): void {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  const isDirectory = (() => {
    try {
      return statSync(file).isDirectory();
    } catch {
      return false;
    }
  })();
  if (isDirectory) throw new EnvironmentError(`--out ${file} is a directory; give a file path`);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true, recursive: false });
    throw new EnvironmentError(`--out ${file}: cannot be written (${(error as Error).message})`, { cause: error });
  }
}
