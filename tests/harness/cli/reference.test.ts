// docs/cli.md is the program's own help, command by command: a flag added to --help and not to the page fails here.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../core/root.js';
import { cliReference } from '../../../harness/cli/reference.js';

describe('docs/cli.md', () => {
  it('is what every command\'s --help says (npm run docs:cli rewrites it)', () => {
    const page = readFileSync(join(projectRoot, 'docs', 'cli.md'), 'utf8');
    expect(page).toBe(cliReference());
    for (const command of ['run', 'resume', 'report', 'compare', 'merge', 'mock-server', 'init eval', 'datasets import']) expect(page).toContain(`## cardeval ${command}\n`);
    expect(page).toMatch(/--shard <i\/n>/i);
  });
});
