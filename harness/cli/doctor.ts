// `cardeval doctor`: what this machine can run, checked without sending a model request.
import { existsSync, readFileSync } from 'node:fs';
import { Store } from '../../results/store.js';
import { manifestPath } from '../../core/dataset-file.js';
import { sha256 } from '../../core/hash.js';
import { resolveDatasetPath } from '../datasets.js';
import { loadRegistry } from './run.js';
import { describeOrphans, probeDocker, removeOrphanedContainers, SANDBOX_IMAGE } from '../../docker/sandbox.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** A failed optional check limits what can run (e.g. tool-format) but is not a broken install. */
  optional?: boolean;
}

export async function doctorCommand(db: string, json: boolean): Promise<number> {
  const checks: Check[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  checks.push({ name: 'node', ok: major >= 20, detail: `v${process.versions.node} (needs ≥ 20)` });
  try {
    // Doctor only looks: a missing database is fine (run creates one), and none is created here.
    if (existsSync(db)) {
      new Store(db, { create: false }).close();
      checks.push({ name: 'database', ok: true, detail: `${db} opens and is migrated` });
    } else checks.push({ name: 'database', ok: true, detail: `no database at ${db} yet: \`cardeval run\` creates it` });
  } catch (error) {
    checks.push({ name: 'database', ok: false, detail: `${db}: ${(error as Error).message}` });
  }
  checks.push({
    name: 'api key',
    ok: true,
    detail: process.env.OPENAI_API_KEY ? 'OPENAI_API_KEY is set' : 'OPENAI_API_KEY is not set: `cardeval run` will use the built-in mock',
  });
  const docker = await probeDocker();
  if (docker.engine) {
    const orphans = describeOrphans(await removeOrphanedContainers());
    checks.push({ name: 'sandbox leftovers', ok: true, optional: true, detail: orphans ?? 'no container left by a dead cardeval process' });
  }
  checks.push({ name: 'docker engine', ok: docker.engine, optional: true, detail: docker.engine ? 'answers' : docker.detail });
  checks.push({ name: 'sandbox image', ok: docker.image, optional: true, detail: docker.image ? `${SANDBOX_IMAGE} exists` : `${SANDBOX_IMAGE} is missing: bash docker/build-offline.sh` });
  const registry = await loadRegistry();
  for (const e of registry.all()) {
    for (const v of e.variants) {
      const file = resolveDatasetPath(e.dataset(v).path);
      try {
        const manifest = JSON.parse(readFileSync(manifestPath(file), 'utf8'));
        const ok = manifest.sha256 === sha256(readFileSync(file));
        checks.push({ name: `dataset ${e.id}:${v}`, ok, detail: ok ? `${manifest.rows} rows, sha256 matches its manifest` : 'sha256 differs from its manifest' });
      } catch (error) {
        checks.push({ name: `dataset ${e.id}:${v}`, ok: false, detail: (error as Error).message });
      }
    }
  }
  const ok = checks.every((c) => c.ok || c.optional);
  if (json) process.stdout.write(JSON.stringify({ ok, checks }, null, 2) + '\n');
  else for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : c.optional ? 'warn' : 'FAIL'}  ${c.name}: ${c.detail}\n`);
  return ok ? 0 : 1;
}
