// `--sandbox local` contains the whole process tree (issue: processes that outlive the run, row 3): code that
// double-forks with setsid leaves nothing running once its execution ends, and a time limit still kills the code when
// the cardeval process itself was killed with SIGKILL.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localContainment, localSandbox } from '../../docker/local.js';
import { projectRoot } from '../../core/root.js';

const dir = mkdtempSync(join(tmpdir(), 'cardeval-local-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(localContainment().kind === 'none' && !process.env.CI)('the local sandbox', () => {
  it('says how it contains the code', () => {
    expect(localContainment()).toMatchObject({ kind: 'pid-namespace' });
  });

  it('leaves no grandchild running after the code exits, even one that escaped with setsid', async () => {
    const marker = join(dir, 'escaped');
    const code = `import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(2)
        open(${JSON.stringify(marker)}, "w").write("still here")
    os._exit(0)
print("parent done")`;
    const sandbox = localSandbox({ limits: { timeoutMs: 10_000 } });
    try {
      const result = await sandbox.runPython({ code });
      expect(result.stdout).toBe('parent done\n');
    } finally {
      await sandbox.close();
    }
    await sleep(3_500);
    expect(existsSync(marker)).toBe(false);
  }, 20_000);

  it('kills the code at its time limit when cardeval itself was killed with SIGKILL', async () => {
    const beat = join(dir, 'beat');
    const script = `import { localSandbox } from './docker/local.ts';
const sandbox = localSandbox({ limits: { timeoutMs: 2_000 } });
await sandbox.runPython({ code: ${JSON.stringify(`import time\nwhile True:\n    open(${JSON.stringify(beat)}, "w").write(str(time.time()))\n    time.sleep(0.1)`)} });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(beat); i++) await sleep(100);
    expect(existsSync(beat)).toBe(true);
    child.kill('SIGKILL');
    await sleep(2_000 + 3_000); // the limit, and the watchdog's grace
    const last = statSync(beat).mtimeMs;
    await sleep(1_000);
    expect(statSync(beat).mtimeMs).toBe(last); // nothing writes it any more
    expect(Number(readFileSync(beat, 'utf8'))).toBeGreaterThan(0);
  }, 30_000);
});
