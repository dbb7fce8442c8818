// Dataset and grade input files that must not be read as if fine: a directory, invalid
// UTF-8 (named by its line, never a silent U+FFFD), and a shipped dataset that no longer matches its manifest.
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { defineEval } from '../../core/define.js';
import { DatasetError } from '../../core/errors.js';
import { writeDataset } from '../../core/dataset-file.js';
import { datasetHash, readDataset } from '../../harness/datasets.js';
import { gradeJsonl } from '../../harness/grading.js';
import { Registry } from '../../harness/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'cardeval-datasets-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const evalOn = (path: string) =>
  defineEval({
    id: 'words',
    title: 'Words',
    variants: ['default'],
    sampleSchema: z.object({ id: z.string(), word: z.string() }),
    dataset: () => ({ path }),
    conversation: (s) => [{ role: 'user', content: s.word }],
    grade: () => ({ pass: true, reason: 'ok' }),
    graderVersion: '1',
    metrics: [{ name: 'ok', description: 'ok', headline: true }],
  });

function datasetError(path: string): DatasetError {
  try {
    Array.from(readDataset(evalOn(path), 'default').rows());
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('no error');
}

describe('readDataset', () => {
  it('refuses a directory, naming it', () => {
    const sub = join(dir, 'a-directory.jsonl');
    mkdirSync(sub);
    const error = datasetError(sub);
    expect(error.message).toMatch(/a-directory\.jsonl:0: field "\(file\)": is a directory, not a JSONL file$/);
  });

  it('refuses invalid UTF-8, naming the line', () => {
    const file = join(dir, 'latin1.jsonl');
    writeFileSync(file, '{"id":"a","word":"ok"}\n{"id":"b","word":"fine"}\n');
    appendFileSync(file, Buffer.concat([Buffer.from('{"id":"c","word":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    const error = datasetError(file);
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/latin1\.jsonl:3: field "\(line\)": is not valid UTF-8$/);
  });

  it('refuses a dataset whose sha256 no longer matches its manifest', () => {
    const file = join(dir, 'shipped.jsonl');
    writeDataset(file, [{ id: 'a', word: 'one' }], { version: '1', generator: 'test', license: 'CC0', source: 'test' });
    expect(Array.from(readDataset(evalOn(file), 'default').rows())).toHaveLength(1);
    appendFileSync(file, JSON.stringify({ id: 'b', word: 'two' }) + '\n');
    expect(datasetError(file).message).toMatch(/shipped\.jsonl:0: field "\(file\)": sha256 no longer matches .*shipped\.manifest\.json/);
  });
});

describe('a dataset that starts with a UTF-8 byte order mark', () => {
  // Before: the run hashed the text without its BOM and the later check hashed it with one, so every run of such a
  // file stopped at once with "changed since run started" and resume failed the same way.
  it('is read, and hashed as the run later checks it', () => {
    const file = join(dir, 'bom.jsonl');
    writeFileSync(file, '\uFEFF{"id":"a","word":"one"}\n{"id":"b","word":"two"}\n');
    const read = readDataset(evalOn(file), 'default');
    expect(Array.from(read.rows())).toEqual([{ id: 'a', word: 'one' }, { id: 'b', word: 'two' }]);
    expect(datasetHash(evalOn(file), 'default').sha256).toBe(read.sha256);
  });
});

describe('grade --input', () => {
  it('refuses invalid UTF-8, naming the line', () => {
    const file = join(dir, 'grade.jsonl');
    writeFileSync(file, JSON.stringify({ sample: { id: 's1', secret: 'PLUM' }, response: 'no' }) + '\n');
    appendFileSync(file, Buffer.concat([Buffer.from('{"sample":{"id":"s2","secret":"PLUM"},"response":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]));
    const def = new Registry().get('ih-password-protection');
    expect(() => gradeJsonl(def, 'user-message', file)).toThrow(/grade\.jsonl:2: field "\(line\)": is not valid UTF-8/);
  });
});
