// `cardeval merge DB... --into DB`: combine shard databases (or any run databases) into one.
import { ConfigError } from '../../core/errors.js';
import { Store } from '../../results/store.js';
import { mergeDatabases } from '../../results/merge.js';

export async function mergeCommand(sources: string[], into: string | undefined): Promise<number> {
  if (sources.length === 0 || !into) throw new ConfigError('usage: cardeval merge DB... --into DB');
  if (sources.includes(into)) throw new ConfigError(`--into ${into} is also a source; merge into a new file`);
  const store = new Store(into);
  try {
    const { runs } = mergeDatabases(sources, store);
    for (const r of runs) {
      process.stderr.write(`${r.id}: from ${r.from.join(', ')}${r.shards ? `, shards ${r.shards}` : ''}${r.complete ? '' : ' (incomplete)'}\n`);
    }
    return runs.every((r) => r.complete) ? 0 : 3;
  } finally {
    store.close();
  }
}
