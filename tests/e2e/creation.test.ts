// Creating a run (issue 14, failure 10): past the item ceiling it needs --yes; SIGTERM while the run is being created
// ends the process at once and leaves no run behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, start } from './cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-create-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run creation', () => {
  it('past 10 million items without --yes: exit 2 in one line, nothing created', async () => {
    const db = join(dir, 'ceiling.sqlite');
    const out = await cli(['run', '--db', db, '--eval', 'ih-password-protection:user-message', '--epochs', '1e9']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^error: this run would create [\d,]+ items \(more than 10,000,000\); check --epochs and --limit, see the cost with --dry-run, or pass --yes to create it anyway$/m);
    expect(existsSync(db)).toBe(false);
  }, 60_000);

  it('SIGTERM during creation ends the process promptly and rolls the run back', async () => {
    const db = join(dir, 'huge.sqlite');
    const child = start(['run', '--db', db, '--eval', 'ih-password-protection:user-message', '--epochs', '20000000', '--yes']);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    // Creation is under way once the write-ahead log grows.
    const wal = `${db}-wal`;
    const deadline = Date.now() + 60_000;
    while (!(existsSync(wal) && statSync(wal).size > 4_000_000) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(wal)).toBe(true);
    const sent = Date.now();
    child.kill('SIGTERM');
    const { signal } = await exited;
    expect(signal).toBe('SIGTERM');
    expect(Date.now() - sent).toBeLessThan(3_000);
    const runs = await cli(['runs', '--db', db]);
    expect(runs.code).toBe(0);
    expect(runs.stdout.trim().split('\n')).toHaveLength(1); // the header alone
  }, 120_000);
});
