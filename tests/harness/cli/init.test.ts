// `cardeval init eval NAME`: the files it writes, what it refuses, and that the scaffold separates the two mocks.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { cli } from '../../e2e/cli.js';
import { initCommand, scaffold, scaffoldRows } from '../../../harness/cli/init.js';
import { ConfigError } from '../../../core/errors.js';
import { projectRoot } from '../../../core/root.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-init-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cardeval init eval', () => {
  it('writes a definition, a grader, JSONL data with a manifest that matches it, and a test, then says how to run them', async () => {
    const out = await cli(['init', 'eval', 'gift-card'], undefined, dir);
    expect(out.code).toBe(0);
    const folder = join(dir, 'gift-card');
    expect(readdirSync(folder).sort()).toEqual(['gift-card.jsonl', 'gift-card.manifest.json', 'gift-card.test.ts', 'gift-card.ts', 'grade.ts']);
    const data = readFileSync(join(folder, 'gift-card.jsonl'));
    const manifest = JSON.parse(readFileSync(join(folder, 'gift-card.manifest.json'), 'utf8'));
    expect(manifest.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(manifest.rows).toBe(data.toString().trim().split('\n').length);
    expect(readFileSync(join(folder, 'gift-card.ts'), 'utf8')).toContain("id: 'gift-card'");
    expect(out.stdout).toContain('npx cardeval run --eval-module ./gift-card/gift-card.ts --eval gift-card');
  });

  it('writes a tsconfig.json where the project has none (as the example project\'s), and keeps one that exists', async () => {
    const project = mkdtempSync(join(dir, 'project-'));
    const first = await cli(['init', 'eval', 'one'], undefined, project);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/created tsconfig\.json/);
    const written = readFileSync(join(project, 'tsconfig.json'), 'utf8');
    expect(written).toBe(readFileSync(join(projectRoot, 'examples', 'custom-eval', 'tsconfig.json'), 'utf8'));
    writeFileSync(join(project, 'tsconfig.json'), '{}\n');
    const second = await cli(['init', 'eval', 'two'], undefined, project);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).not.toMatch(/tsconfig/);
    expect(readFileSync(join(project, 'tsconfig.json'), 'utf8')).toBe('{}\n');
  }, 60_000);

  it('refuses to overwrite: a ConfigError (exit 2) naming the file, and the file is untouched', () => {
    const folder = join(dir, 'taken');
    expect(initCommand(['eval', 'taken'], { out: folder })).toBe(0);
    writeFileSync(join(folder, 'grade.ts'), '// mine\n');
    const error = catchError(() => initCommand(['eval', 'taken'], { out: folder }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/taken\.ts already exists/);
    expect(readFileSync(join(folder, 'grade.ts'), 'utf8')).toBe('// mine\n');
  });

  it.each([[['eval', 'Bad_Name']], [['eval']], [['evals', 'x']], [['eval', 'x', 'y']]])('rejects %j with exit 2 and writes nothing', (args) => {
    const folder = join(dir, `reject-${args.join('-')}`);
    const error = catchError(() => initCommand(args, { out: folder }));
    expect((error as ConfigError).exitCode).toBe(2);
    expect(existsSync(folder)).toBe(false);
  });

  it('--out puts the files in the folder given', () => {
    expect(initCommand(['eval', 'elsewhere'], { out: join(dir, 'evals', 'mine') })).toBe(0);
    expect(existsSync(join(dir, 'evals', 'mine', 'elsewhere.ts'))).toBe(true);
  });
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('the scaffolded eval against the mocks, keyless', () => {
  // The module imports 'cardeval'; here, outside an installed package, it is pointed at the sources.
  const folder = () => join(dir, 'scored');
  beforeAll(async () => {
    await cli(['init', 'eval', 'scored'], undefined, dir);
    for (const file of ['scored.ts', 'grade.ts']) {
      const path = join(folder(), file);
      writeFileSync(path, readFileSync(path, 'utf8').replace("from 'cardeval'", `from ${JSON.stringify(join(projectRoot, 'core', 'index.ts'))}`));
    }
  });

  it.each([
    ['mock-hierarchy', 1],
    ['mock-obedient', 0],
  ])('%s scores %d on every variant (the issue asks at least 0.9 and at most 0.1)', async (model, expected) => {
    const db = join(dir, `${model}.sqlite`);
    // Run from another folder: the dataset path is read beside the module, not from the working directory.
    const out = await cli(['run', '--eval-module', join(folder(), 'scored.ts'), '--eval', 'scored', '--model', model, '--db', db, '--json'], undefined, projectRoot);
    expect(out.code, out.stderr).toBe(0);
    const rows = JSON.parse(out.stdout).results.filter((r: { headline?: boolean }) => r.headline !== false);
    expect(rows.map((r: { variant: string }) => r.variant).sort()).toEqual(['developer-message', 'user-message']);
    for (const row of rows) {
      expect(row.n).toBe(scaffoldRows.length);
      expect(row.score).toBe(expected);
    }
  }, 60_000);
});

describe('examples/custom-eval', () => {
  it('holds exactly what `cardeval init eval discount-code` writes', () => {
    const folder = join(projectRoot, 'examples', 'custom-eval', 'discount-code');
    for (const [file, text] of Object.entries(scaffold('discount-code'))) expect(readFileSync(join(folder, file), 'utf8'), file).toBe(text);
    const rows = readFileSync(join(folder, 'discount-code.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(rows).toEqual(scaffoldRows);
  });

  it('is what the README\'s "Write your own eval" shows, word for word', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const files = scaffold('discount-code');
    expect(readme).toContain(files['discount-code.ts']);
    expect(readme).toContain(files['grade.ts']);
  });
});
