// `cardeval merge DB... --into DB`: combine shard databases (or any run databases) into one.
import { ConfigError } from '../../core/errors.js';
import { existsSync, rmSync } from 'node:fs';
import { Store, storageError } from '../../results/store.js';
import { mergeDatabases, readSources } from '../../results/merge.js';

export async function mergeCommand(sources: string[], into: string | undefined): Promise<number> {
  if (sources.length === 0 || !into) throw new ConfigError('usage: cardeval merge DB... --into DB');
  if (sources.includes(into)) throw new ConfigError(`--into ${into} is also a source; merge into a new file`);
  if (existsSync(into)) throw new ConfigError(`--into ${into} already exists; merge writes a new file (merging into it again would copy its runs twice)`);
  // Every source is checked before --into is touched; a merge that fails leaves no --into file.
  const read = readSources(sources);
  let store: Store | undefined;
  let ok = false;
  try {
    store = new Store(into);
    const { runs } = mergeDatabases(read, store);
    for (const r of runs) {
      process.stderr.write(`${r.id}: from ${r.from.join(', ')}${r.shards ? `, shards ${r.shards}` : ''}${r.complete ? '' : ' (incomplete)'}\n`);
    }
    ok = true;
    return runs.every((r) => r.complete) ? 0 : 3;
  } catch (error) {
    throw storageError(error, into);
  } finally {
    store?.close();
    read.close();
    if (!ok) for (const f of [into, `${into}-wal`, `${into}-shm`]) rmSync(f, { force: true });
  }
}
