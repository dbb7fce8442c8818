// Writes command output: to stdout, or to a file atomically so a crash never leaves half a report.
import { renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeOutput(text: string, file?: string): void {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
