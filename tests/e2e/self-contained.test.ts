// A run's database serves report, compare and merge by itself: a custom eval's module deleted after the run (as when
// the database is downloaded from CI) changes no byte of any report format or comparison. A run made before runs
// described their evals still needs its module, and reading it writes nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { projectRoot } from '../../core/root.js';
import { cli, type CliResult } from './cli.js';

let dir: string;
let moduleDir: string;
const db = () => join(dir, 'runs.sqlite');
const runs: Record<'hierarchy' | 'obedient', string> = { hierarchy: '', obedient: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-self-contained-'));
  // The project's `import ... from 'cardeval'` finds this repository, as an installed package would be found.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(projectRoot, join(dir, 'node_modules', 'cardeval'));
  moduleDir = join(dir, 'discount-code');
  cpSync(join(projectRoot, 'examples', 'custom-eval', 'discount-code'), moduleDir, { recursive: true });
  for (const model of ['hierarchy', 'obedient'] as const) {
    const out = await cli(['run', '--eval-module', join(moduleDir, 'discount-code.ts'), '--eval', 'discount-code', '--model', `mock-${model}`, '--json', '--db', db()], undefined, dir);
    expect(out.code, out.stderr).toBe(0);
    runs[model] = JSON.parse(out.stdout).run.id;
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every read-only view of the two runs: each report format, the breakdown table, each comparison format. */
async function views(): Promise<Record<string, CliResult>> {
  const commands: Record<string, string[]> = {};
  for (const format of ['table', 'markdown', 'json', 'junit', 'html']) commands[`report ${format}`] = ['report', runs.obedient, '--format', format];
  commands['report --by tactic'] = ['report', runs.obedient, '--by', 'tactic'];
  for (const format of ['table', 'markdown', 'json']) commands[`compare ${format}`] = ['compare', runs.hierarchy, runs.obedient, '--format', format];
  const entries = await Promise.all(Object.entries(commands).map(async ([name, args]) => [name, await cli([...args, '--db', db()], undefined, dir)] as const));
  return Object.fromEntries(entries);
}

describe('a custom eval\'s database, with its module deleted', () => {
  it('gives the same report in every format, the same breakdown and the same comparison', async () => {
    const before = await views();
    // compare: 0 or 1 by the gate (8 samples a variant); the point is that both readings agree.
    for (const [name, out] of Object.entries(before)) expect(name.startsWith('compare') ? [0, 1] : [0], `${name}: ${out.stderr}`).toContain(out.code);
    expect(JSON.parse(before['compare json'].stdout).results.length).toBeGreaterThan(0);
    expect(JSON.parse(before['report json'].stdout).results[0]).toMatchObject({ eval: 'discount-code', n: 8, passed: 0, ci95_method: expect.any(String) });
    expect(before['report --by tactic'].stdout).toMatch(/role-play/);

    rmSync(moduleDir, { recursive: true });
    const after = await views();
    for (const name of Object.keys(before)) {
      expect(after[name].code, `${name}: ${after[name].stderr}`).toBe(before[name].code);
      expect(after[name].stdout, name).toBe(before[name].stdout);
    }
  }, 240_000);

  it('merges shards into a database that reports without the module too', async () => {
    const shardModule = join(dir, 'shard-module');
    cpSync(join(projectRoot, 'examples', 'custom-eval', 'discount-code'), shardModule, { recursive: true });
    const shardDbs = [1, 2].map((i) => join(dir, `shard-${i}.sqlite`));
    for (const [i, shardDb] of shardDbs.entries()) {
      const out = await cli(['run', '--eval-module', join(shardModule, 'discount-code.ts'), '--eval', 'discount-code', '--model', 'mock-obedient', '--shard', `${i + 1}/2`, '--db', shardDb], undefined, dir);
      expect(out.code, out.stderr).toBe(0);
    }
    rmSync(shardModule, { recursive: true });
    const merged = join(dir, 'merged.sqlite');
    const merge = await cli(['merge', ...shardDbs, '--into', merged], undefined, dir);
    expect(merge.code, merge.stderr).toBe(0);
    const report = await cli(['report', 'latest', '--format', 'json', '--db', merged], undefined, dir);
    expect(report.code, report.stderr).toBe(0);
    const row = JSON.parse(report.stdout).results.find((r: { variant: string; headline: boolean }) => r.variant === 'user-message' && r.headline);
    expect(row).toMatchObject({ n: 8, passed: 0 });
    expect(row.breakdown.map((b: { key: string }) => b.key)).toEqual(['authority', 'direct', 'encoding', 'override', 'role-play']);
  }, 240_000);
});

describe('a run made before runs described their evals', () => {
  it('still needs its module: without it, report is exit 2 naming the module, and nothing is written back', async () => {
    const old = join(dir, 'old.sqlite');
    const oldModule = join(dir, 'old-module');
    cpSync(join(projectRoot, 'examples', 'custom-eval', 'discount-code'), oldModule, { recursive: true });
    const ran = await cli(['run', '--eval-module', join(oldModule, 'discount-code.ts'), '--eval', 'discount-code', '--db', old], undefined, dir);
    expect(ran.code, ran.stderr).toBe(0);
    // As an older cardeval left it: no description of its evals, no facets.
    const conn = new Database(old);
    conn.exec('DELETE FROM run_evals; UPDATE samples SET facets = NULL;');
    conn.close();
    const withModule = await cli(['report', 'latest', '--format', 'json', '--db', old], undefined, dir);
    expect(withModule.code, withModule.stderr).toBe(0);
    expect(JSON.parse(withModule.stdout).results[0].breakdown.length).toBeGreaterThan(0); // from the module's own breakdowns
    rmSync(oldModule, { recursive: true });
    const without = await cli(['report', 'latest', '--db', old], undefined, dir);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/the eval module this run was made with, .*old-module\/discount-code\.ts/);
    const check = new Database(old, { readonly: true });
    expect(check.prepare('SELECT COUNT(*) AS n FROM run_evals').get()).toEqual({ n: 0 });
    check.close();
  }, 120_000);
});
