// The one JSONL reader: each non-blank line parsed with its 1-based number; a bad line or row names file, line and field.
import type { z } from 'zod';
import { DatasetError } from './errors.js';

/** Each line of a text with its number, without splitting the text into an array (a large file is never held twice). */
function* linesOf(text: string): Generator<[string, number]> {
  for (let start = 0, lineNo = 1; start <= text.length; lineNo++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    yield [text.slice(start, end), lineNo];
    start = end + 1;
  }
}

/** Non-blank lines of a JSONL text, counted without parsing them. */
export function countJsonlLines(text: string): number {
  let n = 0;
  for (const [line] of linesOf(text)) if (line.trim() !== '') n++;
  return n;
}

/**
 * What a JSON syntax error says without quoting the text: the parser's own message quotes it, and a file given by
 * mistake (a key file, /etc/passwd) must not reach a terminal or a CI log. The column is counted from `lineStart`.
 */
export function notJson(error: unknown, lineStart = 0): string {
  const at = /position (\d+)/.exec((error as Error).message);
  return at ? `not valid JSON (column ${Number(at[1]) - lineStart + 1})` : 'not valid JSON';
}

/** Each non-blank line's JSON value with its line number; `file` is how errors name the input. */
export function* jsonlLines(text: string, file: string): Generator<{ line: number; value: unknown }> {
  for (const [raw, line] of linesOf(text)) {
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      // A byte order mark is part of the file (its hash keeps it) but not of the first row.
      value = JSON.parse(line === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw);
    } catch (error) {
      throw new DatasetError(file, line, '(line)', notJson(error));
    }
    yield { line, value };
  }
}

/** The first schema problem of a value as a DatasetError at `file:line`, its field path under `prefix`. */
export function schemaError(file: string, line: number, error: z.ZodError, prefix: string[] = []): DatasetError {
  const issue = error.issues[0];
  return new DatasetError(file, line, [...prefix, ...issue.path.map(String)].join('.') || '(row)', issue.message);
}

/** Rows validated one at a time against `schema`; a string `id` may not repeat. */
export function* jsonlRows<S>(text: string, schema: z.ZodType<S>, file: string): Generator<S> {
  const ids = new Map<string, number>();
  for (const { line, value } of jsonlLines(text, file)) {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw schemaError(file, line, parsed.error);
    const id = (parsed.data as { id?: unknown }).id;
    if (typeof id === 'string') {
      if (ids.has(id)) throw new DatasetError(file, line, 'id', `"${id}" repeats the id of line ${ids.get(id)}`);
      ids.set(id, line);
    }
    yield parsed.data;
  }
}
