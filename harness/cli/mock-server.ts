// `cardeval mock-server`: the mock OpenAI server as a process, until Ctrl-C.
import { ConfigError } from '../../core/errors.js';
import { startMockServer } from '../../runners/mock/server.js';
import { mockModels } from '../../runners/mock/models.js';

type Flags = Partial<Record<'port' | 'latency-ms' | 'fail-rate' | 'rate-429' | 'drop-rate' | 'hang-rate' | 'rpm' | 'tpm' | 'limit-window-ms' | 'require-key' | 'seed', string>>;

function num(name: string, value: string | undefined, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new ConfigError(`--${name} must be a number from 0 to ${max}, got "${value}"`);
  return n;
}

export async function mockServerCommand(flags: Flags): Promise<number> {
  const server = await startMockServer({
    port: num('port', flags.port, 65535) ?? 8787,
    latencyMs: num('latency-ms', flags['latency-ms']),
    failRate: num('fail-rate', flags['fail-rate'], 1),
    rate429: num('rate-429', flags['rate-429'], 1),
    dropRate: num('drop-rate', flags['drop-rate'], 1),
    hangRate: num('hang-rate', flags['hang-rate'], 1),
    rpm: num('rpm', flags.rpm),
    tpm: num('tpm', flags.tpm),
    limitWindowMs: num('limit-window-ms', flags['limit-window-ms']),
    requireKey: flags['require-key'],
    seed: num('seed', flags.seed),
  });
  process.stdout.write(`mock OpenAI server listening on ${server.url}\nmodels: ${mockModels.map((m) => m.name).join(', ')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
