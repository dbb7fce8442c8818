// Errors of the environment through the CLI: each is exit 2 with one line and no stack, and
// nothing is left half-written.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, cli } from './cli.js';

// Each CLI start takes seconds on a loaded 2-core machine.
vi.setConfig({ testTimeout: 60_000 });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-e2e-env-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One line on stderr, starting `error: `, no stack frame. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('no OPENAI_API_KEY'));
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0];
}

describe('an unusable database', () => {
  it('`run --db DIRECTORY` exits 2 naming it', async () => {
    const out = await cli(['run', '--db', dir, '--eval', 'ih-password-protection:user-message', '--limit', '1']);
    expect(out.code).toBe(2);
    expect(oneLine(out.stderr)).toBe(`error: database ${dir} is a directory; --db and CARDEVAL_DB take a file path (e.g. ${join(dir, 'cardeval.sqlite')})`);
  });

  it('CARDEVAL_DB pointing at a directory: the same', async () => {
    const out = await cli(['runs'], cleanEnv({ CARDEVAL_DB: dir }));
    expect(out.code).toBe(2);
    expect(oneLine(out.stderr)).toMatch(/is a directory/);
  });

  it('`runs --db NOT_A_DB` exits 2 and leaves the file alone', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'not a database\n'.repeat(200));
    const out = await cli(['runs', '--db', file]);
    expect(out.code).toBe(2);
    expect(oneLine(out.stderr)).toBe(`error: database ${file}: not an SQLite database (a wrong --db or CARDEVAL_DB?)`);
    expect(readdirSync(dir).filter((f) => f.startsWith('notes.txt'))).toEqual(['notes.txt']);
  });

  it('read-only commands create no database file or directory', async () => {
    const missing = join(dir, 'nowhere', 'cardeval.sqlite');
    for (const args of [['runs'], ['report'], ['published', '--model', 'o3-mini']]) {
      const out = await cli([...args, '--db', missing]);
      expect(existsSync(join(dir, 'nowhere')), args.join(' ')).toBe(false);
      if (args[0] === 'published') expect(out.code).toBe(0);
      else expect(oneLine(out.stderr)).toMatch(/^error: no database at /);
    }
  }, 90_000);
});

describe('report --out', () => {
  it('a directory: exit 2, and no temp file is left behind', async () => {
    const db = join(dir, 'report.sqlite');
    const run = await cli(['run', '--db', db, '--eval', 'ih-password-protection:user-message', '--limit', '2']);
    expect(run.code).toBe(0);
    const outDir = join(dir, 'out');
    mkdirSync(outDir);
    const out = await cli(['report', '--db', db, '--format', 'json', '--out', outDir]);
    expect(out.code).toBe(2);
    expect(oneLine(out.stderr)).toBe(`error: --out ${outDir} is a directory; give a file path`);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(outDir)).toEqual([]);
  }, 60_000);
});

describe('merge', () => {
  it('refuses a missing input (exit 2) and leaves no --into file', async () => {
    const into = join(dir, 'merged.sqlite');
    const out = await cli(['merge', join(dir, 'typo-shard.sqlite'), '--into', into]);
    expect(out.code).toBe(2);
    expect(oneLine(out.stderr)).toMatch(/^error: no database at .*typo-shard\.sqlite/);
    expect(existsSync(into)).toBe(false);
    expect(existsSync(join(dir, 'typo-shard.sqlite'))).toBe(false);
  }, 30_000);
});

describe('mock-server', () => {
  let blocker: Server;
  let port: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('on a port in use: exit 2 naming the port', async () => {
    const out = await cli(['mock-server', '--port', String(port)]);
    expect(out.code).toBe(2);
    expect(oneLine(out.stderr)).toBe(`error: port ${port} is already in use; pick another with --port (0 picks a free one)`);
  });

  it('fault rates summing above 1: exit 2', async () => {
    const out = await cli(['mock-server', '--port', '0', '--fail-rate', '0.6', '--drop-rate', '0.5']);
    expect(out.code).toBe(2);
    expect(oneLine(out.stderr)).toMatch(/must sum to at most 1, got 1\.1$/);
  });
});

describe('without a Docker engine', () => {
  it('the advice is printed once', async () => {
    const env = cleanEnv({ DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}` });
    const both = await cli(['run', '--db', join(dir, 'nodocker.sqlite'), '--eval', 'tool-format:native-tools', '--eval', 'ih-password-protection:user-message', '--limit', '1'], env);
    expect((both.stderr.match(/pass --sandbox local/g) ?? []).length, both.stderr).toBe(1);
    const alone = await cli(['run', '--db', join(dir, 'nodocker.sqlite'), '--eval', 'tool-format:native-tools', '--limit', '1'], env);
    expect(alone.code).toBe(2);
    expect((alone.stderr.match(/pass --sandbox local/g) ?? []).length, alone.stderr).toBe(1);
  });
});
