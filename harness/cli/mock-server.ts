// `cardeval mock-server`: the mock OpenAI server as a process, until Ctrl-C.
import { ConfigError, EnvironmentError } from '../../core/errors.js';
import { startMockServer } from '../../runners/mock/server.js';
import { mockModels } from '../../runners/mock/models.js';

type Flags = Partial<Record<'port' | 'latency-ms' | 'fail-rate' | 'rate-429' | 'drop-rate' | 'hang-rate' | 'rpm' | 'tpm' | 'require-key' | 'seed', string>>;

function num(name: string, value: string | undefined, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new ConfigError(`--${name} must be a number from 0 to ${max}, got "${value}"`);
  return n;
}

export async function mockServerCommand(flags: Flags): Promise<number> {
  const rates = {
    failRate: num('fail-rate', flags['fail-rate'], 1),
    rate429: num('rate-429', flags['rate-429'], 1),
    dropRate: num('drop-rate', flags['drop-rate'], 1),
    hangRate: num('hang-rate', flags['hang-rate'], 1),
  };
  // The faults share one draw per call: shares summing above 1 cannot all be what was asked.
  const sum = Object.values(rates).reduce((a: number, r) => a + (r ?? 0), 0);
  if (sum > 1 + 1e-9) throw new ConfigError(`--fail-rate, --rate-429, --drop-rate and --hang-rate are shares of one draw and must sum to at most 1, got ${+sum.toFixed(6)}`);
  const port = num('port', flags.port, 65535) ?? 8787;
  let server;
  try {
    server = await startMockServer({
      port,
      latencyMs: num('latency-ms', flags['latency-ms']),
      ...rates,
      rpm: num('rpm', flags.rpm),
      tpm: num('tpm', flags.tpm),
      requireKey: flags['require-key'],
      seed: num('seed', flags.seed),
    });
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
