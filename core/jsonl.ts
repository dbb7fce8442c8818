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

/** Each non-blank line's JSON value with its line number; `file` is how errors name the input. */
export function* jsonlLines(text: string, file: string): Generator<{ line: number; value: unknown }> {
  for (const [raw, line] of linesOf(text)) {
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new DatasetError(file, line, '(line)', `not valid JSON: ${(error as Error).message}`);
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
