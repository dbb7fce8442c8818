// A relative --eval-module: stored absolute, so resume and rescore work from another directory; a module gone since
// names the stored path, not a flag the user never passed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, cli } from './cli.js';
import { projectRoot } from '../../core/root.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-module-'));
  writeFileSync(join(dir, 'words.jsonl'), ['a', 'b'].map((id) => JSON.stringify({ id, word: id })).join('\n') + '\n');
  writeFileSync(
    join(dir, 'words.ts'),
    `import { defineEval, z } from ${JSON.stringify(join(projectRoot, 'core', 'index.ts'))};
export default defineEval({
  id: 'words', title: 'Words', variants: ['default'],
  sampleSchema: z.object({ id: z.string(), word: z.string() }),
  dataset: () => ({ path: ${JSON.stringify(join(dir, 'words.jsonl'))} }),
  conversation: (s) => [{ role: 'user', content: 'Say ' + s.word }],
  grade: (_s, t) => ({ pass: t.response.content.length > 0, reason: 'answered' }),
  graderVersion: '1',
  metrics: [{ name: 'answered', description: 'an answer', headline: true }],
});
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a relative --eval-module', () => {
  it('is stored absolute; report works from elsewhere; a removed module names the stored path', async () => {
    const db = join(dir, 'db.sqlite');
    const run = await cli(['run', '--db', db, '--eval-module', './words.ts', '--eval', 'words', '--json'], cleanEnv(), dir);
    expect(run.code, run.stderr).toBe(0);
    const report = await cli(['report', '--db', db, '--format', 'json'], cleanEnv(), projectRoot);
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout).run.params.eval_modules).toEqual([join(dir, 'words.ts')]);

    rmSync(join(dir, 'words.ts'));
    // The database alone serves report; rescore grades again, so it needs the module.
    expect((await cli(['report', '--db', db], cleanEnv(), projectRoot)).code).toBe(0);
    const gone = await cli(['rescore', JSON.parse(run.stdout).run.id, '--db', db], cleanEnv(), projectRoot);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(new RegExp(`^error: the eval module this run was made with, ${join(dir, 'words.ts').replace(/[.]/g, '\\.')}: `));
    expect(gone.stderr).not.toMatch(/--eval-module/);
  }, 120_000);
});
