// `compare --format html` opened in Debian's headless Chromium: two real 40-sample password runs of the built-in mock, every flipped sample side by side, the filters, no request.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, requireChromium } from './browser.js';
import { cli } from '../../e2e/cli.js';

let dir: string;
let html: string;
let cmp: { results: Array<{ eval: string; variant: string; metric: string; flipped: { pass_to_fail: string[]; fail_to_pass: string[] } }> };
let browser: Browser;
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];

async function run(db: string, model: string): Promise<string> {
  const out = await cli(['run', '--json', '--db', db, '--model', model, '--eval', 'ih-password-protection:user-message', '--limit', '40']);
  if (out.code !== 0) throw new Error(`cardeval run --model ${model} exited ${out.code}: ${out.stderr}`);
  return JSON.parse(out.stdout).run.id;
}

beforeAll(async () => {
  requireChromium();
  dir = mkdtempSync(join(tmpdir(), 'cardeval-compare-html-'));
  const db = join(dir, 'db.sqlite');
  const base = await run(db, 'mock-hierarchy');
  const candidate = await run(db, 'mock-obedient');
  const file = join(dir, 'compare.html');
  const out = await cli(['compare', base, candidate, '--db', db, '--format', 'html', '--out', file]);
  expect(out.code, out.stderr).toBe(1); // the obedient model leaks: a regression
  html = readFileSync(file, 'utf8');
  cmp = JSON.parse((await cli(['compare', base, candidate, '--db', db, '--format', 'json'])).stdout);
  browser = await launchChromium();
  page = await openPage(browser, file, { requests, pageErrors });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('compare --format html in headless Chromium (mock-hierarchy against mock-obedient, 40 password samples)', () => {
  it('is one file that loads nothing from outside', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).toContain(`content="default-src 'none'`);
    expect(requests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('lists each row with its outcome, regressions first', async () => {
    const outcomes = await page.locator('table.results tbody tr td.outcome').allInnerTexts();
    expect(outcomes.length).toBe(cmp.results.length);
    expect(outcomes[0]).toBe('REGRESSION');
    const firstOther = outcomes.findIndex((o) => !o.startsWith('REGRESSION'));
    expect(outcomes.slice(firstOther).some((o) => o.startsWith('REGRESSION'))).toBe(false);
  });

  it('shows every flipped sample of every row', async () => {
    const expected = cmp.results.flatMap((r) => [...r.flipped.pass_to_fail, ...r.flipped.fail_to_pass].map((id) => `${r.eval}:${r.variant} ${r.metric} ${id}`)).sort();
    expect(expected.length).toBeGreaterThanOrEqual(37); // the accuracy row alone flips 37 of the 40
    const shown = await page.locator('details.flip').evaluateAll((nodes) => nodes.filter((n) => !(n as HTMLElement).hidden).map((n) => `${n.querySelector('.row-name')!.textContent} ${n.querySelector('.sample-id')!.textContent}`));
    expect(shown.sort()).toEqual(expected);
    expect(await page.locator('#filter-count').innerText()).toBe(`${expected.length} of ${expected.length} flipped samples`);
  });

  it('opens a flipped sample side by side: conversation, base answer and grade, candidate answer and grade', async () => {
    const flip = page.locator('details.flip').first();
    await flip.locator('summary').click();
    const body = flip.locator('.flip-body');
    await expect.poll(() => body.locator('.conversation .msg').count()).toBeGreaterThan(0);
    const sides = body.locator('.sides .side');
    expect(await sides.count()).toBe(2);
    expect(await sides.nth(0).locator('h4').innerText()).toMatch(/^base\s+PASS/i);
    expect(await sides.nth(1).locator('h4').innerText()).toMatch(/^candidate\s+FAIL/i);
    // mock-obedient leaks the password; mock-hierarchy does not.
    const baseAnswer = await sides.nth(0).locator('pre').first().innerText();
    const candidateAnswer = await sides.nth(1).locator('pre').first().innerText();
    expect(candidateAnswer).not.toBe(baseAnswer);
    expect(await flip.locator('summary').innerText()).toMatch(/WORSE/);
  });

  it('filters by row, direction and text', async () => {
    const visible = () => page.locator('details.flip:not([hidden])').count();
    const accuracy = cmp.results.findIndex((r) => r.metric === 'accuracy');
    const rowOption = await page.locator('#filter-row option', { hasText: /accuracy$/ }).first().getAttribute('value');
    await page.selectOption('#filter-row', rowOption!);
    await expect.poll(visible).toBe(cmp.results[accuracy].flipped.pass_to_fail.length + cmp.results[accuracy].flipped.fail_to_pass.length);
    await page.selectOption('#filter-direction', 'better');
    await expect.poll(visible).toBe(cmp.results[accuracy].flipped.fail_to_pass.length);
    await page.selectOption('#filter-direction', '');
    const one = cmp.results[accuracy].flipped.pass_to_fail[0];
    await page.fill('#filter-text', one);
    await expect.poll(visible).toBeGreaterThanOrEqual(1);
    const ids = await page.locator('details.flip:not([hidden]) .sample-id').allInnerTexts();
    expect(ids.every((id) => id.includes(one))).toBe(true);
    await page.fill('#filter-text', 'no text any sample has 0xdeadbeef');
    await expect.poll(visible).toBe(0);
    expect(await page.locator('#filter-count').innerText()).toMatch(/^0 of \d+ flipped samples$/);
    await page.fill('#filter-text', '');
    await page.selectOption('#filter-row', '');
  });
});
