// Caps the requests in flight through one runner with p-limit.
import pLimit from 'p-limit';
import type { Runner } from './types.js';

export function withConcurrency(runner: Runner, concurrency: number): Runner {
  const limit = pLimit(Math.max(1, concurrency));
  return { ...runner, name: runner.name, complete: (request, options) => limit(() => runner.complete(request, options)) };
}
