// Isolation, limits and cleanup of the docker sandbox, checked by looking at the container; plus the local opt-in.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import {
  dockerSandbox,
  localSandbox,
  probeDocker,
  SANDBOX_LABEL,
  SandboxError,
  type ExecResult,
} from '../../docker/sandbox.js';
import { OWNER, OWNER_LABEL } from '../../docker/cleanup.js';

const docker = new Docker();
const probe = await probeDocker({ docker });
const ci = Boolean(process.env.CI);
const skipDocker = !ci && !(probe.engine && probe.image);
if (skipDocker) console.warn(`[tests/docker] skipping docker sandbox tests: ${probe.detail} (set CI=1 to make this a failure)`);

const hasPython = spawnSync('python3', ['--version']).status === 0;
if (!hasPython) console.warn('[tests/docker] skipping local sandbox tests: python3 is not on PATH');

// Only this test process's containers: another suite on the same engine may have its own running.
const ours = { label: [`${SANDBOX_LABEL}=1`, `${OWNER_LABEL}=${OWNER}`] };

async function listOurs(): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: ours });
}

async function waitForContainer(filters: Record<string, string[]> = ours, timeoutMs = 10_000): Promise<Docker.ContainerInfo> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [found] = await docker.listContainers({ all: true, filters });
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no container with ${JSON.stringify(filters)} appeared within ${timeoutMs} ms`);
}

/** False once the process is gone or a zombie (a container-less CI init may never reap it). */
/** Live (not zombie) host processes whose command line has `argument` as one of its arguments. */
function processesWithArgument(argument: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').includes(argument) && isRunning(Number(d));
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Runs code and parses the JSON it prints last. */
async function pyJson(result: Promise<ExecResult>): Promise<any> {
  const { stdout, stderr, exitCode } = await result;
  expect(stderr).toBe('');
  expect(exitCode).toBe(0);
  return JSON.parse(stdout.trim().split('\n').pop() ?? 'null');
}

describe.skipIf(skipDocker)('docker sandbox', () => {
  const sandbox = dockerSandbox({ docker });

  it('configures the container as documented (inspected while it runs)', async () => {
    const run = sandbox.runPython({ code: 'import time\ntime.sleep(2)' });
    // Running only: an earlier test's exited container may still be on its way out (listed, then gone: a 404).
    const info = await docker.getContainer((await waitForContainer({ ...ours, status: ['running'] })).Id).inspect();
    const host = info.HostConfig;
    expect(host.NetworkMode).toBe('none');
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.Privileged).toBe(false);
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.SecurityOpt).toContain('no-new-privileges');
    expect(host.Memory).toBe(256 * 1024 * 1024);
    expect(host.MemorySwap).toBe(host.Memory);
    expect(host.NanoCpus).toBe(1e9);
    expect(host.PidsLimit).toBe(64);
    expect(host.Binds ?? []).toEqual([]);
    expect(info.Mounts).toEqual([]);
    expect(Object.keys(host.Tmpfs ?? {}).sort()).toEqual(['/tmp', '/work']);
    expect(info.Config.User).toBe('10001:10001');
    expect(info.Config.Labels[SANDBOX_LABEL]).toBe('1');
    const result = await run;
    expect(result.exitCode).toBe(0);
  });

  it('(a) has no network interface but loopback', async () => {
    const ifaces = await pyJson(sandbox.runPython({ code: 'import json, os\nprint(json.dumps(sorted(os.listdir("/sys/class/net"))))' }));
    expect(ifaces).toEqual(['lo']);
  });

  it('(b) has a read-only root and a writable, size-limited /work and /tmp', async () => {
    const code = `
import errno, json, os
def attempt(p):
    try:
        with open(p, "w") as f:
            f.write("x")
        return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
root = [l.split() for l in open("/proc/self/mounts") if l.split()[1] == "/"][0]
st = os.statvfs("/work")
print(json.dumps({
    "etc": attempt("/etc/cardeval"), "usr": attempt("/usr/cardeval"), "hosts": attempt("/etc/hosts"),
    "work": attempt("/work/out.txt"), "tmp": attempt("/tmp/out.txt"),
    "root_ro": "ro" in root[3].split(","), "work_bytes": st.f_blocks * st.f_frsize,
}))`;
    const seen = await pyJson(sandbox.runPython({ code }));
    expect(seen).toMatchObject({ etc: 'EROFS', usr: 'EROFS', work: 'ok', tmp: 'ok', root_ro: true, work_bytes: 16 * 1024 * 1024 });
    expect(seen.hosts).not.toBe('ok');
  });

  it('(c) runs as the non-root sandbox user', async () => {
    const ids = await pyJson(sandbox.runPython({ code: 'import json, os\nprint(json.dumps([os.getuid(), os.geteuid(), os.getgid(), os.getgroups()]))' }));
    expect(ids[0]).not.toBe(0);
    expect(ids.slice(0, 3)).toEqual([10001, 10001, 10001]);
    expect(ids[3]).not.toContain(0);
  });

  it('(d) kills an infinite loop at the time limit', async () => {
    const short = dockerSandbox({ docker, limits: { timeoutMs: 1_500 } });
    try {
      const result = await short.runPython({ code: 'print("spinning", flush=True)\nwhile True:\n    pass' });
      expect(result.timedOut).toBe(true);
      expect(result.exitCode).toBeNull();
      expect(result.stdout).toBe('spinning\n');
      expect(result.durationMs).toBeGreaterThanOrEqual(1_500);
      expect(result.durationMs).toBeLessThan(2_500);
    } finally {
      await short.close();
    }
  }, 15_000);

  it('(e) stops a fork bomb at the pids limit', async () => {
    const code = `
import json, os, time
pids, error = [], None
for _ in range(200):
    try:
        pid = os.fork()
    except OSError as e:
        error = [type(e).__name__, e.errno]
        break
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    pids.append(pid)
for pid in pids:
    os.kill(pid, 9)
print(json.dumps({"forks": len(pids), "error": error}))`;
    const seen = await pyJson(sandbox.runPython({ code }));
    expect(seen.error).toEqual(['BlockingIOError', 11]);
    expect(seen.forks).toBeGreaterThan(0);
    expect(seen.forks).toBeLessThan(64);
  }, 15_000);

  it('(f) fails an allocation past the memory limit', async () => {
    const result = await sandbox.runPython({ code: 'block = b"x" * (512 * 1024 * 1024)\nprint(len(block))' });
    expect(result.stdout).toBe('');
    expect(result.exitCode).not.toBe(0);
    expect(result.oomKilled || /MemoryError/.test(result.stderr)).toBe(true);
  }, 15_000);

  it('(g) truncates output past the limit', async () => {
    const result = await sandbox.runPython({ code: 'import sys\nprint("o" * 100_000)\nprint("e" * 100_000, file=sys.stderr)' });
    expect(result.truncated).toBe(true);
    expect(result.stdout).toBe('o'.repeat(16 * 1024));
    expect(result.stderr).toBe('e'.repeat(16 * 1024));
    expect(result.exitCode).toBe(0);
  });

  it('(g) cuts truncated output on a character boundary', async () => {
    const result = await sandbox.runPython({ code: 'print("a" + "é" * 20_000)' });
    expect(result.truncated).toBe(true);
    expect(result.stdout).toBe('a' + 'é'.repeat(8_191));
  });

  it('(g) kills a runaway print loop long before the time limit', async () => {
    const result = await sandbox.runPython({ code: 'while True:\n    print("x" * 1000)' });
    expect(result.truncated).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBeNull();
    expect(result.durationMs).toBeLessThan(5_000);
  }, 15_000);

  it('(h) drops every capability and sets no-new-privileges', async () => {
    const code = `
import json
status = dict(l.split(":", 1) for l in open("/proc/self/status"))
print(json.dumps({k: status[k].strip() for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp")}))`;
    const status = await pyJson(sandbox.runPython({ code }));
    for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) expect(BigInt(`0x${status[set]}`), set).toBe(0n);
    expect(status.NoNewPrivs).toBe('1');
    // 2 = filter mode: the engine's default seccomp profile applies on top.
    expect(status.Seccomp).toBe('2');
  });

  it('(k) shows the request files to the code, in the working directory', async () => {
    const code = 'import json, os\nprint(json.dumps([os.getcwd(), open("data/input.txt").read(), open("notes.md").read()]))';
    const seen = await pyJson(sandbox.runPython({ code, files: { 'data/input.txt': 'héllo\n', 'notes.md': '# n' } }));
    expect(seen).toEqual(['/work', 'héllo\n', '# n']);
  });

  it('(k) refuses file paths that leave the working directory', async () => {
    await expect(sandbox.runPython({ code: '', files: { '../etc/x': '' } })).rejects.toBeInstanceOf(SandboxError);
    await expect(sandbox.runPython({ code: '', files: { '/etc/x': '' } })).rejects.toBeInstanceOf(SandboxError);
  });

  it('reports an exception with its traceback and exit code 1', async () => {
    const result = await sandbox.runPython({ code: 'x = 1\nraise ValueError("boom")' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('File "<cardeval>", line 2');
    expect(result.stderr).toContain('ValueError: boom');
    expect(result.stderr).not.toContain('_cardeval_boot');
  });

  it('(j) abort through the signal kills and removes the container', async () => {
    const controller = new AbortController();
    const run = sandbox.runPython({ code: 'import time\ntime.sleep(60)', signal: controller.signal });
    const container = await waitForContainer();
    controller.abort(new Error('stop'));
    await expect(run).rejects.toThrow('stop');
    await expect(docker.getContainer(container!.Id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 15_000);

  it('removes the container on SIGINT to the process', async () => {
    const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hold-container.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    // Running, not just created: a signal between create and start is the caller's race (its start fails), not this test's.
    // The owner id is host:pid-namespace:pid:start-time:token (docker/cleanup.ts): found by its host and pid.
    const deadline = Date.now() + 20_000;
    let container: Docker.ContainerInfo | undefined;
    while (!container && Date.now() < deadline) {
      const running = await docker.listContainers({ filters: { label: ['cardeval.sandbox=1'], status: ['running'] } });
      container = running.find((c) => c.Labels['cardeval.owner']?.startsWith(`${os.hostname()}:`) && c.Labels['cardeval.owner'].split(':')[2] === String(child.pid));
      if (!container) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!container) throw new Error(`no running container of pid ${child.pid} within 20 s`);
    child.kill('SIGINT');
    expect(await exited, stderr).toBe('SIGINT');
    await expect(docker.getContainer(container.Id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 30_000);

  it('(i) leaves no container behind after 200 executions', async () => {
    const many = dockerSandbox({ docker, concurrency: 4 });
    try {
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => many.runPython({ code: `print(${i})` })));
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 200 }, (_, i) => `${i}\n`));
    } finally {
      await many.close();
    }
    await sandbox.close();
    expect(await listOurs()).toEqual([]);
  }, 90_000);
});

describe('docker sandbox without an engine or image', () => {
  it('says no engine answered, and where', async () => {
    const nowhere = new Docker({ socketPath: '/nonexistent/docker.sock' });
    await expect(dockerSandbox({ docker: nowhere }).runPython({ code: 'print(1)' })).rejects.toThrow(
      /no Docker engine answered at \/nonexistent\/docker\.sock: start one .* or pass --sandbox local/,
    );
    expect(await probeDocker({ docker: nowhere })).toMatchObject({ engine: false, image: false });
  });

  it.skipIf(skipDocker)('says how to build a missing image', async () => {
    const error = await dockerSandbox({ docker, image: 'cardeval-sandbox-missing:none' })
      .runPython({ code: 'print(1)' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as Error).message).toMatch(/cardeval-sandbox-missing:none is missing: build it with docker\/build-offline\.sh/);
  });
});

describe.skipIf(!hasPython)('(l) local sandbox', () => {
  it('runs code with the request files in a fresh working directory', async () => {
    const sandbox = localSandbox();
    try {
      const result = await sandbox.runPython({ code: 'print(open("in/a.txt").read())', files: { 'in/a.txt': 'local' } });
      expect(result).toMatchObject({ stdout: 'local\n', stderr: '', exitCode: 0, timedOut: false, truncated: false });
    } finally {
      await sandbox.close();
    }
  });

  it('kills an infinite loop, and its children, at the time limit', async () => {
    const sandbox = localSandbox({ limits: { timeoutMs: 1_000 } });
    try {
      // The child is found by its unique argument: the code runs in a PID namespace, so the pid it sees is not the host's.
      const marker = `30.${process.pid}${Date.now() % 100_000}`;
      const code = `import subprocess, sys\nchild = subprocess.Popen(["sleep", "${marker}"])\nprint(child.pid, flush=True)\nwhile True:\n    pass`;
      const result = await sandbox.runPython({ code });
      expect(result.timedOut).toBe(true);
      expect(result.exitCode).toBeNull();
      expect(result.durationMs).toBeGreaterThanOrEqual(1_000);
      expect(result.durationMs).toBeLessThan(2_000);
      expect(Number(result.stdout.trim())).toBeGreaterThan(0);
      expect(processesWithArgument(marker)).toEqual([]);
    } finally {
      await sandbox.close();
    }
  }, 10_000);

  it('truncates output past the limit', async () => {
    const sandbox = localSandbox({ limits: { outputBytes: 100 } });
    try {
      const result = await sandbox.runPython({ code: 'print("x" * 1000)' });
      expect(result.truncated).toBe(true);
      expect(result.stdout).toBe('x'.repeat(100));
    } finally {
      await sandbox.close();
    }
  });
});
