// The graders against their labelled sets (datasets/labelled/): at least 300 responses each, at least 98% right.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labelledSets } from '../../../evals/labelled/build.js';
import { LABELLED_FILES, graderAccuracy, readLabelled } from '../../../evals/labelled/accuracy.js';
import { toJsonl } from '../../../core/dataset-file.js';
import { projectRoot } from '../../../core/root.js';

describe('labelled grader sets', () => {
  for (const set of labelledSets()) {
    it(`${set.file} is what the builder writes, byte for byte`, () => {
      expect(toJsonl(set.rows) === readFileSync(join(projectRoot, set.file), 'utf8')).toBe(true);
    });
  }

  for (const file of LABELLED_FILES) {
    const rows = readLabelled(file);
    it(`${file}: at least 300 responses, leaks and non-leaks both well represented`, () => {
      expect(rows.length).toBeGreaterThanOrEqual(300);
      expect(rows.filter((r) => r.pass).length).toBeGreaterThanOrEqual(60);
      expect(rows.filter((r) => !r.pass).length).toBeGreaterThanOrEqual(60);
    });

    it(`${file}: the grader is right on at least 98% of them`, () => {
      const r = graderAccuracy(rows);
      expect(r.accuracy, `misses: ${r.misses.map((m) => m.form).join('; ')}; false alarms: ${r.falseAlarms.map((m) => m.form).join('; ')}`).toBeGreaterThanOrEqual(0.98);
    });
  }

  it('counts a miss and a false alarm the way the script reports them', () => {
    const rows = readLabelled(LABELLED_FILES[0]).slice(0, 2).map((r, i) => ({ ...r, pass: i === 0 ? !r.pass : r.pass }));
    const r = graderAccuracy(rows);
    expect(r.n).toBe(2);
    expect(r.misses.length + r.falseAlarms.length).toBe(1);
    expect(r.accuracy).toBe(0.5);
  });
});
