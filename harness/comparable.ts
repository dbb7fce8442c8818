// Which selected eval variants a run leaves out because, as sent, they would not measure what the card's row measured.
import { comparabilityOf, type LevelSetup } from '../core/comparability.js';
import type { Selection } from './registry.js';

/**
 * Splits a selection into what runs and the not-comparable variants left out (as `eval:variant`, with their reason).
 * Anything named with --eval runs all the same: the user asked for it, and the report marks it not-comparable.
 */
export function splitComparable(selections: Selection[], levels: LevelSetup, namedExplicitly: boolean): { run: Selection[]; skipped: Array<{ spec: string; reason: string }> } {
  if (namedExplicitly) return { run: selections, skipped: [] };
  const run: Selection[] = [];
  const skipped: Array<{ spec: string; reason: string }> = [];
  for (const s of selections) {
    const c = comparabilityOf(s.def.privileges?.(s.variant), levels);
    if (c.comparability === 'not-comparable') skipped.push({ spec: `${s.def.id}:${s.variant}`, reason: c.comparability_reason });
    else run.push(s);
  }
  return { run, skipped };
}
