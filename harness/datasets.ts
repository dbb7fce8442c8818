// Loads an eval's JSONL dataset, validating every row with the eval's zod schema before anything runs.
import { readFileSync, existsSync, statSync, type BigIntStats } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { sha256 } from '../core/hash.js';
import { DatasetError } from '../core/errors.js';
import { countJsonlLines, jsonlRows } from '../core/jsonl.js';
import type { AnyEval, BaseSample } from '../core/types.js';
import { projectRoot } from '../core/root.js';
import { manifestPath } from '../core/dataset-file.js';

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

/**
 * A JSONL file's text, refusing what reading it as UTF-8 would silently turn into U+FFFD: the first invalid byte is
 * named by its line. A directory or unreadable path is a DatasetError too (exit 2), not a stack.
 */
export function readUtf8File(path: string, shown: string): string {
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new DatasetError(shown, 0, '(file)', 'is a directory, not a JSONL file');
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(shown, 0, '(file)', `cannot be read: ${(error as Error).message}`);
  }
  try {
    // The text as it is on disk, a byte order mark included: the run's hash and the check before resume both see it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new DatasetError(shown, invalidUtf8Line(bytes), '(line)', 'is not valid UTF-8');
  }
}

/** The 1-based line of the first byte sequence that is not UTF-8 (a line at a time: each is decoded on its own). */
function invalidUtf8Line(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  for (let start = 0; start < bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
  }
  return line;
}

/** A dataset shipped with a manifest must still be the file the manifest describes: a changed built-in dataset is refused. */
function checkManifest(path: string, shown: string, hash: string): void {
  const manifestFile = manifestPath(path);
  if (!existsSync(manifestFile)) return;
  let recorded: unknown;
  try {
    recorded = (JSON.parse(readFileSync(manifestFile, 'utf8')) as { sha256?: unknown }).sha256;
  } catch {
    return; // an unreadable manifest is doctor's to report; the rows are still validated one by one
  }
  if (typeof recorded === 'string' && recorded !== hash) {
    throw new DatasetError(shown, 0, '(file)', `sha256 no longer matches ${displayPath(manifestFile)}; regenerate the dataset (its generator) or restore it`);
  }
}

export function readDataset(def: AnyEval, variant: string, override?: string): DatasetText {
  const { path, shown } = datasetFile(def, variant, override);
  const before = statSync(path, { bigint: true, throwIfNoEntry: false });
  if (!before) throw new DatasetError(shown, 0, '(file)', 'dataset file not found');
  const text = readUtf8File(path, shown);
  if (text.trim() === '') throw new DatasetError(shown, 0, '(file)', 'dataset has no rows');
  const hash = sha256(text);
  remember(path, before, hash);
  checkManifest(path, shown, hash);
  return { file: shown, sha256: hash, count: () => countJsonlLines(text), rows: () => jsonlRows(text, def.sampleSchema, shown) };
}

/** The sha256 of a variant's dataset file as a run records it (the text as read); null when the file is gone. */
export function datasetHash(def: AnyEval, variant: string): { file: string; sha256: string | null } {
  const { path, shown } = datasetFile(def, variant);
  const now = statSync(path, { bigint: true, throwIfNoEntry: false });
  if (!now || now.isDirectory()) return { file: shown, sha256: null };
  const known = hashedInThisProcess.get(path);
  if (known && sameFile(known.stat, now)) return { file: shown, sha256: known.sha256 };
  const hash = sha256(readFileSync(path, 'utf8'));
  remember(path, now, hash);
  return { file: shown, sha256: hash };
}

/**
 * Hashes this process took, by path: `cardeval run` hashes every dataset as it creates the run and again as it starts
 * it (the check resume makes), and a file whose identity, size and times are unchanged is not read twice.
 */
const hashedInThisProcess = new Map<string, { stat: BigIntStats; sha256: string }>();

/** A file changed within two seconds of its hash is not remembered: a coarse clock could hide a second change. */
const SETTLED_NS = 2_000_000_000n;

function remember(path: string, stat: BigIntStats, hash: string): void {
  const newest = stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs;
  if (BigInt(Date.now()) * 1_000_000n - newest < SETTLED_NS) hashedInThisProcess.delete(path);
  else hashedInThisProcess.set(path, { stat, sha256: hash });
}

function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

export function loadDataset(def: AnyEval, variant: string, override?: string): LoadedDataset {
  const data = readDataset(def, variant, override);
  return { file: data.file, sha256: data.sha256, samples: Array.from(data.rows()) };
}
