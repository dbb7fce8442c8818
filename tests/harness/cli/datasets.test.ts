// `datasets import --out DIR`: an import replaces only the files imports write; a folder holding
// anything else is refused (exit 2) and left as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetsCommand } from '../../../harness/cli/datasets.js';
import { ConfigError } from '../../../core/errors.js';

let dir: string;
let source: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-import-out-'));
  source = join(dir, 'test.jsonl');
  // GSM8K's shape: final answers of 10 or more that the question does not state, so every row imports.
  const rows = [12, 34, 56, 78].map((n, i) => ({ question: `Problem ${i}: how many apples in all?`, answer: `Some steps <<${n}-1=${n - 1}>>.\n#### ${n}` }));
  writeFileSync(source, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quiet = <T>(f: () => Promise<T>): Promise<T> => {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  return f().finally(() => (process.stdout.write = write));
};

describe('datasets import --out', () => {
  it('writes the folder, and a second import replaces what the first wrote', async () => {
    const out = join(dir, 'again');
    expect(await quiet(() => datasetsCommand('gsm8k', { from: source, out, limit: 4 }))).toBe(0);
    const first = readdirSync(join(out, 'gsm8k')).sort();
    expect(first).toEqual(['tutor.jsonl', 'tutor.manifest.json', 'tutor.skipped.jsonl']);
    expect(await quiet(() => datasetsCommand('gsm8k', { from: source, out, limit: 2 }))).toBe(0);
    expect(readdirSync(join(out, 'gsm8k')).sort()).toEqual(first);
    expect(JSON.parse(readFileSync(join(out, 'gsm8k', 'tutor.manifest.json'), 'utf8')).rows).toBe(2);
  });

  it('refuses a folder holding a file it did not write: exit 2 naming it, the folder untouched', async () => {
    const out = join(dir, 'notes');
    expect(await quiet(() => datasetsCommand('gsm8k', { from: source, out, limit: 4 }))).toBe(0);
    writeFileSync(join(out, 'gsm8k', 'my-notes.txt'), 'mine\n');
    mkdirSync(join(out, 'gsm8k', 'drafts'));
    const error = await quiet(() => datasetsCommand('gsm8k', { from: source, out, limit: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toBe(
      `${join(out, 'gsm8k')} holds files an import did not write (drafts, my-notes.txt); move them away, or import with another --out`,
    );
    expect(readFileSync(join(out, 'gsm8k', 'my-notes.txt'), 'utf8')).toBe('mine\n');
    expect(JSON.parse(readFileSync(join(out, 'gsm8k', 'tutor.manifest.json'), 'utf8')).rows).toBe(4);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('refuses --out DIR when DIR/KIND is a file', async () => {
    const out = join(dir, 'file');
    mkdirSync(out);
    writeFileSync(join(out, 'gsm8k'), 'a file\n');
    await expect(quiet(() => datasetsCommand('gsm8k', { from: source, out }))).rejects.toThrow(ConfigError);
    expect(existsSync(join(out, 'gsm8k'))).toBe(true);
    expect(readFileSync(join(out, 'gsm8k'), 'utf8')).toBe('a file\n');
  });
});
