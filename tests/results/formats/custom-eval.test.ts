// A custom eval has no published figure to compare with: every human format leaves its verdict empty and says why,
// and the JSON report keeps the verdict `no-published` for scripts.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../results/store.js';
import { buildReport } from '../../../results/report.js';
import { renderTable } from '../../../results/formats/table.js';
import { renderMarkdown } from '../../../results/formats/markdown.js';
import { renderHtml } from '../../../results/formats/html.js';
import { seedRun } from './runs.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-custom-'));
  store = new Store(join(dir, 'db.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a custom eval in the reports', () => {
  const custom = () => buildReport(store, seedRun(store, 'run-custom', [{ eval: 'discount-code', variant: 'default', sample: 'a', pass: true }], { model: 'o3-mini' }), new Map());

  it('keeps verdict no-published in the JSON report', () => {
    expect(custom().results.map((r) => r.verdict)).toEqual(['no-published']);
  });

  it('shows no verdict in the Markdown table, and says no document publishes a figure', () => {
    const md = renderMarkdown(custom());
    expect(md).not.toMatch(/no-published/);
    expect(md).toContain('no document publishes a figure for these evals: no verdict');
  });

  it('shows no verdict in the HTML table', () => {
    const html = renderHtml(custom());
    const cells = [...html.matchAll(/<td class="verdict-([^"]*)">([^<]*)<\/td>/g)];
    expect(cells.map((c) => [c[1], c[2]])).toEqual([['', '']]);
  });

  it('says so in the terminal table too', () => {
    expect(renderTable(custom())).toContain('no document publishes a figure for these evals: no verdict');
  });
});
