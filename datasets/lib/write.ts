// Writes a dataset as JSONL with its manifest; the bytes depend only on the rows, so a seed reproduces them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';

export interface ManifestInfo {
  /** Bump when the generator's output changes meaning. */
  version: string;
  generator: string;
  seed?: number;
  license: string;
  source: string;
  description?: string;
}

export interface Manifest extends ManifestInfo {
  file: string;
  rows: number;
  sha256: string;
}

export function toJsonl(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
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

/** The project's root, where package.json sits: the same from the TypeScript sources and from their build in dist/. */
export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
