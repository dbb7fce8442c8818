// cardeval on a terminal (util-linux `script` gives it one): progress bars on stderr; `report` no wider than a 100-column terminal, piped the full table.
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

describe('cardeval run on a terminal', () => {
  it('draws progress bars on stderr: the run with its rate, ETA and errors, and each eval when several run', () => {
    const shell = `stty cols 120; ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} run --db ${JSON.stringify(join(dir, 'bars.sqlite'))} ` +
      '--eval ih-password-protection:user-message --eval ih-phrase-protection:user-message --limit 20 >/dev/null';
    const tty = execFileSync('script', ['-qc', shell, '/dev/null'], { env: cleanEnv(), encoding: 'utf8', timeout: 170_000 });
    expect(tty).toMatch(/run-\S+ 40\/40 0 errors\s+\d+\.\d\/s\s+ETA (<1s|0s)/);
    expect(tty).toMatch(/ih-password-protection 20\/20/);
    expect(tty).toMatch(/ih-phrase-protection 20\/20/);
  }, 180_000);
});

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

  it('compare fits it too, naming the columns it left out', () => {
    const shell = `stty cols 100; ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} compare latest latest --db ${JSON.stringify(db)} 2>/dev/null`;
    const tty = execFileSync('script', ['-qc', shell, '/dev/null'], { env: cleanEnv(), encoding: 'utf8', timeout: 120_000 });
    const lines = tty.split(/\r?\n/);
    expect(lines.some((l) => /^eval\s+variant\s+metric/.test(l))).toBe(true);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(100);
    expect(tty).toMatch(/left out to fit 100 columns/);
  }, 180_000);
});
