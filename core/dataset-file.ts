// Writes a dataset as JSONL with its manifest; the bytes depend only on the rows, so a seed reproduces them.
import { sha256 } from './hash.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

export interface ManifestInfo {
  /** Bump when the generator's output changes meaning. */
  version: string;
  generator: string;
  seed?: number;
  license: string;
  source: string;
  description?: string;
  /** Rows that attack (controls excluded), distinct final lower-privileged texts among them, and multi-turn ones. */
  attack_rows?: number;
  distinct_attacks?: number;
  /** Distinct attacks once template openers, closers and frames are removed and secrets masked (evals/attack-cores.ts). */
  distinct_attack_cores?: number;
  multi_turn_rows?: number;
  /** Attack rows after two or more earlier lower-privileged messages that build up to them. */
  escalation_rows?: number;
  /** Where imported rows come from: each public set, its license, and how many rows it gave. */
  provenance?: Array<{ source: string; license: string; rows: number }>;
}

export interface Manifest extends ManifestInfo {
  file: string;
  rows: number;
  sha256: string;
}

export function toJsonl(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** Writes `file` and `file` with `.manifest.json` beside it; returns the manifest. */
export function writeDataset(file: string, rows: readonly unknown[], info: ManifestInfo): Manifest {
  const text = toJsonl(rows);
  const manifest: Manifest = { ...info, file: relative(dirname(file), file), rows: rows.length, sha256: sha256(text) };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  writeFileSync(manifestPath(file), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

export function manifestPath(file: string): string {
  return file.replace(/\.jsonl$/, '') + '.manifest.json';
}
