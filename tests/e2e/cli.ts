// Drives the cardeval command as a user would: a child process, a real database file, the mock over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../core/root.js';

export const bin = join(projectRoot, 'bin', 'cardeval.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a user with no key, unless the test gives one. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENAI_API_KEY;
  delete env.CARDEVAL_DB;
  delete env.OPENAI_BASE_URL; // the SDK's variable, which cardeval now follows
  delete env.OPENAI_CUSTOM_HEADERS;
  return { ...env, ...extra };
}

export function start(args: string[], env: NodeJS.ProcessEnv = cleanEnv(), cwd = projectRoot): ChildProcess {
  return spawn(process.execPath, [bin, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function cli(args: string[], env?: NodeJS.ProcessEnv, cwd?: string): Promise<CliResult> {
  const child = start(args, env, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Starts `cardeval mock-server --port 0 ...` and resolves with its base URL once it listens. */
export async function startMockServerProcess(args: string[] = []): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = start(['mock-server', '--port', '0', ...args]);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`mock-server exited ${code}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, child, stop };
}
