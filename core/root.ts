// The project's root directory, found from this file (the same from the TypeScript sources and from dist/), and its version.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The project's root, where package.json sits: the same from the TypeScript sources and from their build in dist/. */
export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

/** package.json's version: what `cardeval --version` prints and every run records. */
export const packageVersion: string = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version;

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
