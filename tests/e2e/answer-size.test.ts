// An answer of several megabytes (issue: hostile servers, row 2): past --max-answer-bytes (default 4 MiB) it ends its
// item as an `answer_too_large` error, unread; the run ends incomplete (exit 3) and says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chatCompletion, scriptedServer, sendJson } from '../runners/scripted-server.js';
import { cleanEnv, cli } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cardeval-answer-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an answer over --max-answer-bytes', () => {
  it('is an item error naming the cap, by default at 4 MiB and where the flag sets it', async () => {
    let size = 5 * 1024 * 1024;
    const server = await scriptedServer((_req, res) => sendJson(res, 200, chatCompletion({ content: 'x'.repeat(size) })));
    try {
      const args = ['run', '--base-url', server.url, '--model', 'gpt-4o', '--cache', 'off', '--eval', 'ih-password-protection:user-message', '--limit', '1', '--max-retries', '0'];
      const byDefault = await cli([...args, '--db', join(dir, 'a.sqlite')], cleanEnv());
      expect(byDefault.code, byDefault.stderr).toBe(3);
      expect(byDefault.stderr).toMatch(/answer_too_large: answer over --max-answer-bytes \(4194304 bytes\): cut off unread/);
      size = 3000;
      const lowered = await cli([...args, '--db', join(dir, 'b.sqlite'), '--max-answer-bytes', '2048'], cleanEnv());
      expect(lowered.code, lowered.stderr).toBe(3);
      expect(lowered.stderr).toMatch(/answer over --max-answer-bytes \(2048 bytes\)/);
      const raised = await cli([...args, '--db', join(dir, 'c.sqlite'), '--max-answer-bytes', '4096'], cleanEnv());
      expect(raised.code, raised.stderr).toBe(0);
    } finally {
      await server.close();
    }
  }, 60_000);
});
