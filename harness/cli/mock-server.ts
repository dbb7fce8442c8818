// `cardeval mock-server`: the mock OpenAI server as a process, until Ctrl-C.
import { ConfigError, EnvironmentError } from '../../core/errors.js';
import { startMockServer, type MockServerOptions } from '../../runners/mock/server.js';
import { mockModels } from '../../runners/mock/models.js';

export async function mockServerCommand(options: MockServerOptions): Promise<number> {
  // The faults share one draw per call: shares summing above 1 cannot all be what was asked.
  const sum = [options.failRate, options.rate429, options.dropRate, options.hangRate].reduce((a: number, r) => a + (r ?? 0), 0);
  if (sum > 1 + 1e-9) throw new ConfigError(`--fail-rate, --rate-429, --drop-rate and --hang-rate are shares of one draw and must sum to at most 1, got ${+sum.toFixed(6)}`);
  const port = options.port ?? 8787;
  let server;
  try {
    server = await startMockServer(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new EnvironmentError(`port ${port} is already in use; pick another with --port (0 picks a free one)`);
    if (code === 'EACCES') throw new EnvironmentError(`port ${port} needs privileges this user lacks; pick one above 1023 with --port`);
    throw error;
  }
  process.stdout.write(`mock OpenAI server listening on ${server.url}\nmodels: ${mockModels.map((m) => m.name).join(', ')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
