import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generators } from '../../evals/generate.js';
import { manifestPath, toJsonl } from '../../core/dataset-file.js';
import { sha256 } from '../../core/hash.js';
import { projectRoot } from '../../core/root.js';

describe('committed datasets', () => {
  for (const g of generators) {
    for (const d of g.generate()) {
      it(`${d.file} is reproduced byte for byte by the ${g.name} generator, and its manifest matches`, () => {
        const committed = readFileSync(join(projectRoot, d.file), 'utf8');
        const regenerated = toJsonl(d.rows);
        expect(regenerated === committed).toBe(true);
        const manifest = JSON.parse(readFileSync(manifestPath(join(projectRoot, d.file)), 'utf8'));
        expect(manifest.sha256).toBe(sha256(committed));
        expect(manifest.rows).toBe(d.rows.length);
      });
    }
  }
});
