// The one JSONL reader: line numbers count blank lines, a bad line or row names file:line:field, ids may not repeat.
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { countJsonlLines, jsonlLines, jsonlRows } from '../../core/jsonl.js';
import { DatasetError } from '../../core/errors.js';

const caught = (f: () => unknown): DatasetError => {
  try {
    f();
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error('no error');
};

describe('jsonlLines', () => {
  it('skips blank lines but counts them in line numbers, with or without a final newline', () => {
    expect([...jsonlLines('{"a":1}\n\n  \n{"a":2}', 'f.jsonl')]).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { a: 2 } },
    ]);
    expect([...jsonlLines('{"a":1}\n', 'f.jsonl')]).toHaveLength(1);
    expect(countJsonlLines('{"a":1}\n\n{"a":2}\n')).toBe(2);
  });

  it('names file and line of a line that is not JSON', () => {
    const error = caught(() => [...jsonlLines('{"a":1}\n{oops\n', 'data/x.jsonl')]);
    expect(error.message).toMatch(/^data\/x\.jsonl:2: field "\(line\)": not valid JSON/);
    expect(error.exitCode).toBe(2);
  });

  // Issue 25, row 8: a file that is not a dataset (here /etc/passwd's shape) may be private: its text is never quoted.
  it('names file, line and column of a line that is not JSON without quoting it', () => {
    const passwd = caught(() => [...jsonlLines('root:x:0:0:root:/root:/bin/bash\n', '/etc/passwd')]);
    expect(passwd.message).toBe('/etc/passwd:1: field "(line)": not valid JSON');
    const cut = caught(() => [...jsonlLines('{"a":1}\n{"secret": "hunter2" oops}\n', 'x.jsonl')]);
    expect(cut.message).toBe('x.jsonl:2: field "(line)": not valid JSON (column 22)');
  });

  // Issue 25, row 2: a UTF-8 byte order mark before the first line is not part of the JSON.
  it('reads a first line that starts with a byte order mark', () => {
    expect([...jsonlLines('\uFEFF{"a":1}\n{"a":2}\n', 'bom.jsonl')]).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, value: { a: 2 } },
    ]);
  });
});

describe('jsonlRows', () => {
  const schema = z.object({ id: z.string(), n: z.number() });

  it('names file, line and field of a row that breaks the schema', () => {
    const error = caught(() => [...jsonlRows('{"id":"a","n":1}\n{"id":"b","n":"two"}\n', schema, 'd.jsonl')]);
    expect([error.file, error.line, error.field]).toEqual(['d.jsonl', 2, 'n']);
  });

  it('refuses a repeated id, naming both lines', () => {
    const error = caught(() => [...jsonlRows('{"id":"a","n":1}\n\n{"id":"a","n":2}\n', schema, 'd.jsonl')]);
    expect(error.message).toBe('d.jsonl:3: field "id": "a" repeats the id of line 1');
  });
});
