import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked, type Tokens } from 'marked';
import { Store } from '../../../results/store.js';
import { buildReport } from '../../../results/report.js';
import { compareRuns } from '../../../results/compare.js';
import { renderComparisonMarkdown, renderMarkdown } from '../../../results/formats/markdown.js';
import { pairedOutcomes, seedRun } from './runs.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-md-'));
  store = new Store(join(dir, 'db.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const tableOf = (md: string) => marked.lexer(md).find((t): t is Tokens.Table => t.type === 'table');
const role = (_e: string, m: string) => ({ headline: m === 'accuracy', higherIsBetter: true, gated: m === 'accuracy' });

function comparison() {
  const rows = [
    // 3 fell and 2 rose of 30: neither shown a regression nor shown equivalent.
    pairedOutcomes('ih-tutor-jailbreak', 'system-message', { a: 25, b: 3, c: 2, d: 0 }),
    pairedOutcomes('ih-password-protection', 'user-message', { a: 0, b: 40, c: 0, d: 0 }),
    pairedOutcomes('ih-phrase-protection', 'user|message', { a: 30, b: 0, c: 0, d: 0 }),
  ];
  const base = seedRun(store, 'run-base', rows.flatMap((r) => r.base));
  const candidate = seedRun(store, 'run-cand', rows.flatMap((r) => r.candidate), { model: 'mock-obedient' });
  return compareRuns(store, base, candidate, { maxDrop: 0.02, alpha: 0.05, role });
}

describe('renderComparisonMarkdown', () => {
  it('renders as a table with one row per compared row, in a Markdown parser', () => {
    const table = tableOf(renderComparisonMarkdown(comparison()))!;
    expect(table).toBeDefined();
    expect(table.header.map((h) => h.text)).toEqual(['eval', 'variant', 'metric', 'better', 'n', 'base (95% CI)', 'candidate (95% CI)', 'difference (95% bounds each)', 'p', 'p drop > max', 'fell', 'rose', 'outcome']);
    // Regressions first, then inconclusive rows; the rest in a collapsed block after them.
    expect(table.rows.map((r) => [r[0].text, r[1].text, r[4].text, r[12].text])).toEqual([
      ['ih-password-protection', 'user-message', '40', '**REGRESSION**'],
      ['ih-tutor-jailbreak', 'system-message', '30', expect.stringMatching(/^inconclusive \(\\~\d+ samples would decide\)$/)],
    ]);
  });

  it('collapses the rows that need no attention under the regressions and inconclusive rows', () => {
    const md = renderComparisonMarkdown(comparison());
    const tables = marked.lexer(md).filter((t): t is Tokens.Table => t.type === 'table');
    expect(tables).toHaveLength(2);
    expect(tables[1].rows.map((r) => [r[0].text, r[1].text, r[12].text])).toEqual([['ih-phrase-protection', 'user|message', 'unchanged']]);
    const collapsed = md.indexOf('<details><summary>1 other row: unchanged, equivalent, improved or not gated</summary>');
    expect(collapsed).toBeGreaterThan(md.indexOf('**REGRESSION**'));
    expect(collapsed).toBeLessThan(md.indexOf('ih-phrase-protection'));
  });

  it('keeps a cell holding a pipe inside its column', () => {
    const table = tableOf(renderComparisonMarkdown(comparison()))!;
    expect(table.rows.every((r) => r.length === table.header.length)).toBe(true);
  });

  it('states the verdict and marks the regressed row in bold', () => {
    const md = renderComparisonMarkdown(comparison());
    expect(md).toMatch(/^\*\*❌ REGRESSION in 1 of 3 rows/m);
    const html = marked.parse(md) as string;
    expect(html).toMatch(/<td[^>]*><strong>REGRESSION<\/strong><\/td>/);
    expect(html).toMatch(/<td[^>]*>unchanged<\/td>/);
  });

  it('links to nothing: no Markdown link, no anchor, no local path', () => {
    const md = renderComparisonMarkdown(comparison());
    expect(md).not.toMatch(/\]\(|<a\s|file:|\/tmp\/|\.sqlite/);
    expect(marked.parse(md) as string).not.toMatch(/<a\s|<img\s/);
  });

  it('lists the flipped samples in a collapsed block', () => {
    const md = renderComparisonMarkdown(comparison());
    expect(md).toContain('<details><summary>Samples whose score changed</summary>');
    expect(md).toMatch(/\*\*ih-password-protection:user-message accuracy\*\*, fell \(40\): `s-00`, `s-01`/);
  });
});

describe('renderMarkdown (one run)', () => {
  it('renders the run as a table with the card figures and verdicts', () => {
    const { base } = pairedOutcomes('ih-password-protection', 'user-message', { a: 38, b: 0, c: 0, d: 2 });
    const run = seedRun(store, 'run-1', base, { model: 'o3-mini' });
    const md = renderMarkdown(buildReport(store, run, new Map()));
    const table = tableOf(md)!;
    expect(table.header.map((h) => h.text)).toEqual(['eval', 'variant', 'metric', 'score', '95% CI', 'n', 'no answer', 'uncertain', 'errors', 'card o3-mini', 'card o1', 'card GPT-4o', 'effort', 'verdict']);
    expect(table.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['ih-password-protection', 'user-message', 'accuracy', '0.95', '0.83–0.99', '40', '0', '0', '0', '0.95', '1.00', '0.85', 'not set (API default)', 'consistent'],
    ]);
    expect(md).not.toMatch(/\]\(|<a\s/);
  });
});
