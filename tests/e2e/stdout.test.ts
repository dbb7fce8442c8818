// stdout that goes away or fills up (issue: hostile servers and signals, row 4): a reader that closes the pipe early
// (`report --format json | head -c 0`) ends the command quietly with exit 0, as Unix tools do; a full disk on stdout
// is exit 2 with one line, never a stack trace or exit 1 (which means a failed gate).
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, cleanEnv, cli } from './cli.js';

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-stdout-'));
  db = join(dir, 'r.sqlite');
  const made = await cli(['run', '--eval', 'ih-password-protection:user-message', '--limit', '3', '--db', db, '--json']);
  expect(made.code).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `cardeval ARGS` with stdout on the given fd (or a pipe closed before the command writes). */
function withStdout(args: string[], stdout: number | 'closed-pipe'): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { env: cleanEnv(), stdio: ['ignore', stdout === 'closed-pipe' ? 'pipe' : stdout, 'pipe'] });
  if (stdout === 'closed-pipe') child.stdout!.destroy(); // the reader is gone before the first write, as `head -c 0`
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

describe('stdout', () => {
  it('closed by its reader (EPIPE): exit 0, nothing on stderr', async () => {
    const result = await withStdout(['report', 'latest', '--format', 'json', '--db', db], 'closed-pipe');
    expect(result).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('on a full disk (ENOSPC, /dev/full): exit 2 with one line', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = await withStdout(['report', 'latest', '--format', 'json', '--db', db], full);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: cannot write to stdout: no space left on device \(ENOSPC\)\n$/);
    } finally {
      closeSync(full);
    }
  });
});
