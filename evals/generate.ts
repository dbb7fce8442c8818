// Regenerates every committed dataset from its seeded generator: `npm run datasets:generate`.
import { join } from 'node:path';
import { writeDataset, type ManifestInfo } from '../core/dataset-file.js';
import { projectRoot } from '../core/root.js';
import * as conflicts from './conflicts/generate.js';
import * as tutor from './tutor/generate.js';
import * as protection from './protection/generate.js';
import * as toolFormat from './tool-format/generate.js';

export interface GeneratedDataset {
  file: string;
  rows: unknown[];
  info: ManifestInfo;
}

export const generators: Array<{ name: string; generate: () => GeneratedDataset[] }> = [
  { name: 'conflicts', generate: conflicts.generate },
  { name: 'tutor', generate: tutor.generate },
  { name: 'protection', generate: protection.generate },
  { name: 'tool-format', generate: toolFormat.generate },
];

if (process.argv[1]?.endsWith('generate.ts')) {
  for (const g of generators) {
    for (const d of g.generate()) {
      const m = writeDataset(join(projectRoot, d.file), d.rows, d.info);
      console.log(`${d.file}: ${m.rows} rows, sha256 ${m.sha256.slice(0, 12)}`);
    }
  }
}
