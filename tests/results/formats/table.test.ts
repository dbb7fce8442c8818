import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../results/store.js';
import { buildReport } from '../../../results/report.js';
import { renderTable } from '../../../results/formats/table.js';
import { seedRun } from './runs.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-table-'));
  store = new Store(join(dir, 'db.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const costLine = (model: string, usd: number, unpriced: number) => {
  const run = seedRun(store, `run-${model}`, [{ eval: 'ih-password-protection', variant: 'user-message', sample: 'a', pass: true }], { model });
  store.addRunCost(run.id, usd, unpriced);
  return renderTable(buildReport(store, store.getRun(run.id)!, new Map())).split('\n')[0];
};

describe('renderTable', () => {
  it("prints a run's cost, with the calls whose price is unknown", () => {
    expect(costLine('o3-mini', 0.01234, 0)).toMatch(/cost \$0\.0123$/);
    expect(costLine('some-local-model', 0, 3)).toMatch(/cost \$0\.0000 \+ 3 calls of unknown price$/);
  });

  it("says a mock model's cost is at mock prices, not a real cost", () => {
    expect(costLine('mock-hierarchy', 1.42, 0)).toMatch(/cost \$1\.4200 \(mock prices, not a real cost\)$/);
  });
});
