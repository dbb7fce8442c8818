// Creating a run: `--epochs 1e9` is refused where it is parsed; past the item ceiling a run needs
// --yes; SIGTERM while the run is being created ends the process at once and leaves no run behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, start } from './cli.js';

let dir: string;
/** An eval of 10,001 samples: at the 1,000-epoch ceiling of --epochs, 10,001,000 items, just past the item ceiling. */
let mod: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-create-'));
  const data = join(dir, 'many.jsonl');
  writeFileSync(data, Array.from({ length: 10_001 }, (_, i) => JSON.stringify({ id: `s${i}` })).join('\n') + '\n');
  mod = join(dir, 'many.ts');
  const core = JSON.stringify(join(process.cwd(), 'core/index.ts'));
  writeFileSync(
    mod,
    `import { defineEval, z } from ${core};
export default defineEval({
  id: 'many', title: 'many samples', variants: ['default'],
  sampleSchema: z.object({ id: z.string() }),
  dataset: () => ({ path: ${JSON.stringify(data)} }),
  conversation: () => [{ role: 'user', content: 'hi' }],
  grade: () => ({ pass: true, reason: 'ok' }),
  graderVersion: '1', metrics: [{ name: 'accuracy', description: 'x', headline: true }],
});
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run creation', () => {
  it('--epochs 1e9 is refused where it is parsed: exit 2 in one line, nothing created', async () => {
    const db = join(dir, 'epochs.sqlite');
    const out = await cli(['run', '--db', db, '--eval', 'ih-password-protection:user-message', '--epochs', '1e9']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--epochs <n>' argument '1e9' is invalid/);
    expect(existsSync(db)).toBe(false);
  }, 60_000);

  it('past 10 million items without --yes: exit 2 in one line, nothing created', async () => {
    const db = join(dir, 'ceiling.sqlite');
    const out = await cli(['run', '--db', db, '--eval-module', mod, '--eval', 'many', '--epochs', '1000']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^error: this run would create 10,001,000 items \(more than 10,000,000\); check --epochs and --limit, see the cost with --dry-run, or pass --yes to create it anyway$/m);
    expect(existsSync(db)).toBe(false);
  }, 60_000);

  it('SIGTERM during creation ends the process promptly and rolls the run back', async () => {
    const db = join(dir, 'huge.sqlite');
    const child = start(['run', '--db', db, '--eval-module', mod, '--eval', 'many', '--epochs', '1000', '--yes']);
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
