// What every `cardeval datasets import` importer shares: its options, its result, and how it reads and samples input.
import { DatasetError } from '../../../core/errors.js';
import { createRng, type Rng } from '../../../core/random.js';
import { jsonlLines } from '../../../core/jsonl.js';

export interface ImportOptions {
  /** Seeds the choice of rows under `limit` and of instruction and attack templates; same seed, same bytes. */
  seed?: number;
  /** At most this many rows, chosen by a seeded shuffle and kept in file order. */
  limit?: number;
  /** How errors name the input file (its basename, never a user's absolute path). */
  file?: string;
}

/** A source row the importer could not turn into a fair, gradable sample. `line` is 1-based in the input file. */
export interface Skip {
  line: number;
  /** Why, in words shared by every row skipped for the same cause (so a summary can count them). */
  reason: string;
  /** This row's particulars, e.g. the answer that could not be read. */
  detail?: string;
}

export interface ImportResult<R> {
  rows: R[];
  skipped: Skip[];
  /** Source rows that could be imported, before `limit`. */
  eligible: number;
}

/** What a manifest says of the source: its licence and where it comes from (the user's copy is named apart). */
export interface SourceInfo {
  /** Bump when the importer's output changes meaning. */
  version: string;
  license: string;
  source: string;
  description: string;
}

export const DEFAULT_SEED = 1;

export function inputName(options: ImportOptions): string {
  return options.file ?? '(input)';
}

/** One JSON object per non-empty line, with its 1-based line number; a bad line names file and line. */
export function readJsonLines(text: string, options: ImportOptions): Array<{ line: number; value: Record<string, unknown> }> {
  const out: Array<{ line: number; value: Record<string, unknown> }> = [];
  for (const { line, value } of jsonlLines(text, inputName(options))) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DatasetError(inputName(options), line, '(line)', 'expected a JSON object');
    }
    out.push({ line, value: value as Record<string, unknown> });
  }
  if (out.length === 0) throw new DatasetError(inputName(options), 0, '(file)', 'no rows');
  return out;
}

/** The string field `field` of a row, or a DatasetError naming file, line and field. */
export function stringField(row: Record<string, unknown>, field: string, line: number, options: ImportOptions): string {
  const value = row[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DatasetError(inputName(options), line, field, value === undefined ? 'missing' : 'must be a non-empty string');
  }
  return value;
}

/** `limit` items by a seeded shuffle, kept in their original order; all of them when there are no more. */
export function sample<T>(items: readonly T[], limit: number | undefined, rng: Rng): T[] {
  if (limit === undefined || limit >= items.length) return [...items];
  const chosen = new Set(rng.shuffle(items.map((_, i) => i)).slice(0, limit));
  return items.filter((_, i) => chosen.has(i));
}

/** Balanced draws: every item once per round, in a fresh seeded order each round. */
export function rounds<T>(items: readonly T[], count: number, rng: Rng): T[] {
  const out: T[] = [];
  while (out.length < count) out.push(...rng.shuffle(items));
  return out.slice(0, count);
}

export function rngFor(options: ImportOptions): Rng {
  return createRng(options.seed ?? DEFAULT_SEED);
}
