// Loads an eval's JSONL dataset, validating every row with the eval's zod schema before anything runs.
import { readFileSync, existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { sha256 } from '../core/hash.js';
import { DatasetError } from '../core/errors.js';
import { countJsonlLines, jsonlRows } from '../core/jsonl.js';
import type { AnyEval, BaseSample } from '../core/types.js';
import { projectRoot } from '../core/root.js';

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

/** A variant's dataset file, read but not yet parsed: rows() validates as it goes. */
export interface DatasetText {
  file: string;
  sha256: string;
  /** Non-blank lines: the number of rows when every row is valid (counted when asked, for --limit). */
  count(): number;
  rows(): Generator<BaseSample>;
}

/** A variant's dataset path, and the path as the user should see it (the key of a run's dataset hashes). */
function datasetFile(def: AnyEval, variant: string, override?: string): { path: string; shown: string } {
  const path = override ?? resolveDatasetPath(def.dataset(variant).path);
  return { path, shown: displayPath(path) };
}

export function readDataset(def: AnyEval, variant: string, override?: string): DatasetText {
  const { path, shown } = datasetFile(def, variant, override);
  if (!existsSync(path)) throw new DatasetError(shown, 0, '(file)', 'dataset file not found');
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') throw new DatasetError(shown, 0, '(file)', 'dataset has no rows');
  return { file: shown, sha256: sha256(text), count: () => countJsonlLines(text), rows: () => jsonlRows(text, def.sampleSchema, shown) };
}

/** The sha256 of a variant's dataset file as a run records it (the text as read); null when the file is gone. */
export function datasetHash(def: AnyEval, variant: string): { file: string; sha256: string | null } {
  const { path, shown } = datasetFile(def, variant);
  return { file: shown, sha256: existsSync(path) ? sha256(readFileSync(path, 'utf8')) : null };
}

export function loadDataset(def: AnyEval, variant: string, override?: string): LoadedDataset {
  const data = readDataset(def, variant, override);
  return { file: data.file, sha256: data.sha256, samples: Array.from(data.rows()) };
}
