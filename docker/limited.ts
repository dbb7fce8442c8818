// What both sandboxes share: a concurrency limit, and a close() that stops the queue and waits for what runs.
import pLimit from 'p-limit';
import { SandboxError } from '../core/errors.js';
import type { ExecRequest, ExecResult, Sandbox } from '../core/sandbox.js';

export function limitedSandbox(
  kind: Sandbox['kind'],
  concurrency: number,
  payloadOf: (req: ExecRequest) => Buffer,
  execute: (payload: Buffer, signal: AbortSignal | undefined, closing: AbortSignal) => Promise<ExecResult>,
): Sandbox {
  const limit = pLimit({ concurrency, rejectOnClear: true });
  const closing = new AbortController();
  const running = new Set<Promise<unknown>>();

  const runPython = async (req: ExecRequest): Promise<ExecResult> => {
    if (closing.signal.aborted) throw new SandboxError('sandbox is closed');
    const payload = payloadOf(req);
    req.signal?.throwIfAborted();
    const task = limit(() => {
      if (closing.signal.aborted) throw new SandboxError('sandbox is closed');
      req.signal?.throwIfAborted();
      return execute(payload, req.signal, closing.signal);
    });
    running.add(task);
    try {
      return await task;
    } catch (error) {
      if (closing.signal.aborted && !(error instanceof SandboxError) && !req.signal?.aborted) throw new SandboxError('sandbox is closed', { cause: error });
      throw error;
    } finally {
      running.delete(task);
    }
  };

  return {
    kind,
    runPython,
    async close() {
      closing.abort();
      limit.clearQueue();
      await Promise.allSettled([...running]);
    },
  };
}
