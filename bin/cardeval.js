#!/usr/bin/env node
// The cardeval command: the compiled CLI in dist/ when it is built and fresh (npm ci builds it), else the TypeScript
// sources through tsx, so a clone runs without a build and an edited source never runs stale. The compiled CLI starts
// faster and holds about 80 MB less than tsx's loader does. An installed package ships dist/ and no sources: it always
// runs dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from './build.js';

const sources = fileURLToPath(new URL('../harness/cli/main.ts', import.meta.url));

if (!existsSync(sources) || buildIsFresh()) {
  await import('../dist/harness/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../harness/cli/main.ts');
}
