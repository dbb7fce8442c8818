// Loads an eval's JSONL dataset, validating every row with the eval's zod schema before anything runs.
import { readFileSync, existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { DatasetError } from './errors.js';
import type { AnyEval, BaseSample } from './types.js';
import { projectRoot } from '../datasets/lib/write.js';

export interface LoadedDataset<S extends BaseSample = BaseSample> {
  file: string;
  sha256: string;
  samples: S[];
}

export function resolveDatasetPath(path: string): string {
  return isAbsolute(path) ? path : join(projectRoot, path);
}

/** A path as the user should see it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/** Parses JSONL text; every problem names file, line and field. */
export function parseJsonl<S>(text: string, schema: z.ZodType<S>, file: string): S[] {
  const rows: S[] = [];
  const ids = new Map<string, number>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DatasetError(file, lineNo, '(line)', `not valid JSON: ${(error as Error).message}`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DatasetError(file, lineNo, issue.path.join('.') || '(row)', issue.message);
    }
    const id = (parsed.data as { id?: unknown }).id;
    if (typeof id === 'string') {
      if (ids.has(id)) throw new DatasetError(file, lineNo, 'id', `"${id}" repeats the id of line ${ids.get(id)}`);
      ids.set(id, lineNo);
    }
    rows.push(parsed.data);
  });
  return rows;
}

export function loadDataset(def: AnyEval, variant: string, override?: string): LoadedDataset {
  const file = override ?? resolveDatasetPath(def.dataset(variant).path);
  const shown = displayPath(file);
  if (!existsSync(file)) throw new DatasetError(shown, 0, '(file)', 'dataset file not found');
  const text = readFileSync(file, 'utf8');
  const samples = parseJsonl(text, def.sampleSchema, shown);
  if (samples.length === 0) throw new DatasetError(shown, 0, '(file)', 'dataset has no rows');
  return { file: shown, sha256: createHash('sha256').update(text).digest('hex'), samples };
}
