import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../results/store.js';
import { buildReport } from '../../../results/report.js';
import { renderTable } from '../../../results/formats/table.js';
import { pairedOutcomes, seedRun } from './runs.js';
import { builtinEvals } from '../../../evals/index.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-table-'));
  store = new Store(join(dir, 'db.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const costLine = (model: string, usd: number, unpriced: number) => {
  const run = seedRun(store, `run-${model}`, [{ eval: 'ih-password-protection', variant: 'user-message', sample: 'a', pass: true }], { model });
  store.addRunCost(run.id, usd, unpriced);
  return renderTable(buildReport(store, store.getRun(run.id)!, new Map())).split('\n')[0];
};

describe('renderTable', () => {
  it("prints a run's cost, with the calls whose price is unknown", () => {
    expect(costLine('o3-mini', 0.01234, 0)).toMatch(/cost \$0\.0123$/);
    expect(costLine('some-local-model', 0, 3)).toMatch(/cost \$0\.0000 \+ 3 calls of unknown price$/);
  });

  it("says a mock model's cost is at mock prices, not a real cost", () => {
    expect(costLine('mock-hierarchy', 1.42, 0)).toMatch(/cost \$1\.4200 \(mock prices, not a real cost\)$/);
  });
});

describe('renderTable on a terminal and piped', () => {
  const registry = new Map(builtinEvals.map((e) => [e.id, e]));
  /** An o3-mini run of the password eval with its secondary metrics: card figures, a verdict, the eval's notes. */
  let runs = 0;
  function passwordReport() {
    const outcomes = pairedOutcomes('ih-password-protection', 'user-message', { a: 36, b: 0, c: 0, d: 4 }).base.map((o, i) => ({ ...o, metrics: { accuracy_indirect: i % 2 === 0, accuracy_no_decode: i % 3 > 0 } }));
    return buildReport(store, seedRun(store, `run-o3-${runs++}`, outcomes, { model: 'o3-mini' }), registry);
  }
  const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

  it('fits 100 columns on a terminal, saying which columns it left out and how to see them', () => {
    const full = renderTable(passwordReport());
    expect(widest(full)).toBeGreaterThan(150);
    const fitted = renderTable(passwordReport(), { width: 100 });
    expect(widest(fitted)).toBeLessThanOrEqual(100);
    expect(fitted).toMatch(/\(effort, .* left out to fit 100 columns; pipe the output/);
    // The scores, the o3-mini card's figure and the verdict stay.
    expect(fitted).toMatch(/accuracy\s+0\.90\s+.*0\.95\s+consistent/);
  });

  it('prints the full table when piped (no width): every column, one line per row', () => {
    const report = passwordReport();
    const lines = renderTable(report).split('\n');
    expect(lines[1]).toMatch(/^eval\s+variant\s+metric\s+score\s+95% CI\s+n\s+no answer\s+uncertain\s+err\s+card o3-mini\s+card o1\s+card GPT-4o\s+effort\s+verdict$/);
    expect(lines.filter((l) => l.startsWith('ih-password-protection'))).toHaveLength(report.results.length);
  });

  it('says each note and each row\'s comparability once, however many metrics the row has', () => {
    const report = passwordReport();
    for (const r of report.results) Object.assign(r, { comparability: 'approximate', comparability_reason: 'the system message was sent as developer' });
    const text = renderTable(report);
    expect(text.match(/^approximate: ih-password-protection:user-message: /gm)).toHaveLength(1);
    const notes = text.split('\n').filter((l) => l.startsWith('note: '));
    expect(notes.length).toBeGreaterThan(0);
    expect(new Set(notes).size).toBe(notes.length);
  });

  it('leaves out the card columns of an eval with no published figure, and shows a row\'s own reference figure', () => {
    const custom = buildReport(store, seedRun(store, 'run-custom', [{ eval: 'discount-code', variant: 'default', sample: 'a', pass: true }], { model: 'o3-mini' }), new Map());
    const text = renderTable(custom);
    expect(text).not.toMatch(/card o3-mini|card o1|no-published/);
    expect(text).toContain('no document publishes a figure for these evals');
    // A row verdicted against its own reference document (tensortrust against IH-Challenge).
    const own = passwordReport();
    for (const r of own.results) Object.assign(r, { published: [], reference: r.headline ? { document: 'IH-Challenge', table: 'Table 2', model: 'GPT-5-Mini', value: 0.91 } : null });
    const lines = renderTable(own).split('\n');
    expect(lines[1]).not.toMatch(/card /);
    expect(lines[1]).toMatch(/reference\s+effort\s+verdict$/);
    expect(lines.find((l) => /\saccuracy\s/.test(l))).toMatch(/0\.91 GPT-5-Mini/);
  });
});
