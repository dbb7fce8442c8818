// writeOutput: --out through a symlink writes its target and keeps the link; a device or FIFO is
// written directly, never replaced by a regular file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOutput } from '../../../harness/cli/output.js';
import { EnvironmentError } from '../../../core/errors.js';
import { projectRoot } from '../../../core/root.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-output-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeOutput', () => {
  it('a regular file is replaced atomically, no temp file left', () => {
    const file = join(dir, 'plain.json');
    writeFileSync(file, 'old');
    writeOutput('new\n', file);
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a symlink is written through: the target gets the text, the link stays a link', () => {
    const targets = join(dir, 'targets');
    mkdirSync(targets);
    const target = join(targets, 'report.json');
    writeFileSync(target, 'old');
    const link = join(dir, 'link.json');
    symlinkSync('targets/report.json', link);
    writeOutput('through\n', link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('targets/report.json');
    expect(readFileSync(target, 'utf8')).toBe('through\n');
    // The temp file was made beside the target (a rename across directories could cross file systems).
    expect(readdirSync(targets)).toEqual(['report.json']);
  });

  it('a dangling symlink creates its target and stays a link', () => {
    const link = join(dir, 'dangling.json');
    symlinkSync('made-by-write.json', link);
    writeOutput('made\n', link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'made-by-write.json'), 'utf8')).toBe('made\n');
  });

  it('a FIFO is written into, not replaced', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let read = '';
    reader.stdout.on('data', (d) => (read += d));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const timer = setTimeout(() => reader.kill(), 5_000); // a FIFO replaced by a file is never opened: cat would wait forever
    writeOutput('through the pipe\n', fifo);
    await closed;
    clearTimeout(timer);
    expect(read).toBe('through the pipe\n');
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  // Device nodes made in the temp folder (as root, as CI runs): a test that fails must never replace the machine's /dev.
  const asRoot = process.getuid?.() === 0;

  it.skipIf(!asRoot)('a character device (null) is written, and stays a device', () => {
    const device = join(dir, 'null');
    execFileSync('mknod', ['-m', '666', device, 'c', '1', '3']);
    writeOutput('discarded\n', device);
    expect(statSync(device).isCharacterDevice()).toBe(true);
  });

  it.skipIf(!asRoot)('a full device: exit 2 naming it, and the device is still a device', () => {
    const device = join(dir, 'full');
    execFileSync('mknod', ['-m', '666', device, 'c', '1', '7']);
    expect(() => writeOutput('x\n', device)).toThrow(EnvironmentError);
    expect(() => writeOutput('x\n', device)).toThrow(`--out ${device}: cannot be written`);
    expect(statSync(device).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('full.'))).toEqual([]);
  });

  it('a link to this process\'s stdout (as /dev/stdout is) writes to stdout and keeps the link', async () => {
    const link = join(dir, 'stdout');
    symlinkSync('/proc/self/fd/1', link);
    const script = `import('${join(projectRoot, 'harness/cli/output.ts')}').then((m) => m.writeOutput('to stdout\\n', ${JSON.stringify(link)}))`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toBe('to stdout\n');
    expect(readlinkSync(link)).toBe('/proc/self/fd/1');
  });
});
