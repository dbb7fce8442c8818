// `cardeval report` in a 100-column terminal (util-linux `script` gives it one): no line wider than the terminal; piped, the full table.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, cleanEnv, cli } from './cli.js';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-width-'));
  db = join(dir, 'db.sqlite');
  const out = await cli(['run', '--db', db, '--model', 'mock-obedient', '--eval', 'ih-password-protection:user-message', '--limit', '10']);
  expect(out.code, out.stderr).toBe(0);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cardeval report on a terminal', () => {
  it('fits a 100-column terminal; piped, it prints the full table', async () => {
    const shell = `stty cols 100; ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} report latest --db ${JSON.stringify(db)}`;
    const tty = execFileSync('script', ['-qc', shell, '/dev/null'], { env: cleanEnv(), encoding: 'utf8', timeout: 120_000 });
    const lines = tty.split(/\r?\n/);
    expect(lines.some((l) => l.startsWith('eval'))).toBe(true);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(100);
    const piped = await cli(['report', 'latest', '--db', db]);
    expect(Math.max(...piped.stdout.split('\n').map((l) => [...l].length))).toBeGreaterThan(100);
    expect(piped.stdout).toMatch(/card o3-mini\s+card o1\s+card GPT-4o\s+effort\s+verdict/);
  }, 180_000);
});
