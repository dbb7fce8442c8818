// Finds the shared public data sets the importer tests read (never copied into the project): ../shared/datasets beside
// the project, else /work/shared/datasets. Without them the tests are skipped with the reason, except in CI, which
// checks out shared/ beside the clone and must run them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../core/root.js';

const CANDIDATES = [join(projectRoot, '..', 'shared', 'datasets'), '/work/shared/datasets'];

export const sharedDatasets: string | undefined = CANDIDATES.find((dir) => existsSync(join(dir, 'README.md')));

export const missingReason = `skipped: no shared datasets folder (looked in ${CANDIDATES.join(' and ')})`;

if (!sharedDatasets && process.env.CI) {
  throw new Error(`CI must run the importer tests on the shared data sets, but found none (looked in ${CANDIDATES.join(' and ')})`);
}

export function sharedFile(relative: string): string {
  return join(sharedDatasets!, relative);
}
