// Whether the compiled CLI in dist/ may run: it exists and was built after every TypeScript source last changed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDirs = ['core', 'harness', 'evals', 'datasets', 'runners', 'results', 'docker', 'bench'];

/** dist/.built is written by `npm run build` (which `npm ci` runs); a source edited since makes the build stale. */
export function buildIsFresh() {
  const stamp = join(root, 'dist', '.built');
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  const changedSince = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((entry) =>
      entry.isDirectory() ? changedSince(join(dir, entry.name)) : entry.name.endsWith('.ts') && statSync(join(dir, entry.name)).mtimeMs > built,
    );
  return !sourceDirs.some((dir) => existsSync(join(root, dir)) && changedSince(join(root, dir)));
}
