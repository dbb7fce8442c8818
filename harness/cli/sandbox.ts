// Chooses the code sandbox for evals that run model-written code: Docker by default, local only when asked.
import { ConfigError } from '../../core/errors.js';
import type { Selection } from '../registry.js';
import { localContainment } from '../../docker/local.js';
import { describeOrphans, dockerSandbox, localSandbox, probeDocker, removeAllSandboxContainers, removeOrphanedContainers, type Sandbox } from '../../docker/sandbox.js';

export type SandboxChoice = 'docker' | 'local' | undefined;

export interface SandboxPlan {
  sandbox?: Sandbox;
  /** Selections that can run here. */
  selections: Selection[];
  /** One line for the user when an eval was left out. */
  skipped?: string;
  close(): Promise<void>;
}

export async function planSandbox(selections: Selection[], choice: SandboxChoice, log: (line: string) => void): Promise<SandboxPlan> {
  // Every run start clears what dead cardeval processes left behind (kill -9, a crash), and says so.
  const orphans = describeOrphans(await removeOrphanedContainers({ timeoutMs: 3_000 }));
  if (orphans) log(orphans);
  const needing = selections.filter((s) => s.def.needsSandbox);
  const none = { selections, close: async () => {} };
  if (needing.length === 0) return none;
  if (choice === 'local') {
    log(`warning: --sandbox local runs model-written code as a python3 subprocess on this machine, without isolation; ${localContainment().detail}`);
    const sandbox = localSandbox();
    return { sandbox, selections, close: () => sandbox.close() };
  }
  const probe = await probeDocker();
  if (!probe.engine || !probe.image) {
    const how = !probe.engine
      ? 'start a Docker engine (see docker/README.md)'
      : 'build the sandbox image with `bash docker/build-offline.sh`';
    const ids = [...new Set(needing.map((s) => s.def.id))].join(', ');
    // The probe's detail carries its own advice; the line gives the advice once, here.
    const detail = probe.detail.replace(/:\s*(start one|build it)\b.*$/, '');
    const line = `${ids}: not run: ${detail}; ${how}, or pass --sandbox local to run model code unisolated`;
    if (choice === 'docker') throw new ConfigError(line);
    return { selections: selections.filter((s) => !s.def.needsSandbox), skipped: line, close: async () => {} };
  }
  const sandbox = dockerSandbox();
  return {
    sandbox,
    selections,
    close: async () => {
      await sandbox.close();
      await removeAllSandboxContainers();
    },
  };
}
