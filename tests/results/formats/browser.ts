// Headless Chromium for the HTML tests: Debian's chromium, nothing fetched but the page itself.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const chromiumPath = '/usr/bin/chromium';

/** Fails at once, saying how to install it, when Chromium is missing (CI installs it; a skip would hide the tests). */
export function requireChromium(): void {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium)`);
}

export function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens `file` in a new page, noting every request that is not the file itself and every script error. */
export async function openPage(browser: Browser, file: string, seen: { requests: string[]; pageErrors: string[] }): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('request', (r) => {
    if (!/^(file|data|about):/.test(r.url())) seen.requests.push(r.url());
  });
  page.on('pageerror', (e) => seen.pageErrors.push(e.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return page;
}
