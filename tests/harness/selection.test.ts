// The one sample selection: --limit is a seeded choice, --shard splits that choice into disjoint parts within one of each other in size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { defineEval } from '../../core/define.js';
import { createRng } from '../../core/random.js';
import { forEachSelectedSample, type SelectionConfig } from '../../harness/selection.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardeval-selection-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function evalWith(rows: number) {
  const file = join(dir, `rows-${rows}.jsonl`);
  writeFileSync(file, Array.from({ length: rows }, (_, i) => JSON.stringify({ id: `s${i}` })).join('\n') + '\n');
  return defineEval({
    id: 'pick',
    title: 'Pick',
    variants: ['a', 'b'],
    sampleSchema: z.object({ id: z.string() }),
    dataset: () => ({ path: file }),
    conversation: () => [{ role: 'user', content: 'hi' }],
    grade: () => ({ pass: true, reason: '' }),
    graderVersion: '1',
    metrics: [{ name: 'accuracy', description: '', headline: true }],
  });
}

function taken(rows: number, config: SelectionConfig): string[] {
  const def = evalWith(rows);
  const out: string[] = [];
  forEachSelectedSample([{ def, variant: 'a' }, { def, variant: 'b' }], config, (_, variant, sample) => out.push(`${variant}:${sample.id}`));
  return out;
}

describe('forEachSelectedSample', () => {
  it('takes every sample of every variant without --limit or --shard', () => {
    expect(taken(3, { seed: 1 })).toEqual(['a:s0', 'a:s1', 'a:s2', 'b:s0', 'b:s1', 'b:s2']);
  });

  it('--limit takes the first rows of the seeded shuffle, in dataset order', () => {
    const expected = createRng(5).shuffle([...Array(20).keys()]).slice(0, 4).sort((x, y) => x - y);
    expect(taken(20, { seed: 5, limit: 4 }).filter((k) => k.startsWith('a:'))).toEqual(expected.map((i) => `a:s${i}`));
  });

  it('--shard I/N: disjoint, together the unsharded selection, each within one sample per variant of a quarter', () => {
    const whole = taken(42, { seed: 1 });
    const shards = [1, 2, 3, 4].map((index) => taken(42, { seed: 1, shard: { index, count: 4 } }));
    expect(shards.flat().sort()).toEqual([...whole].sort());
    expect(new Set(shards.flat()).size).toBe(whole.length);
    // 42 per variant: shards of 11, 11, 10, 10 per variant.
    expect(shards.map((s) => s.length)).toEqual([22, 22, 20, 20]);
  });

  it('shards the --limit choice, not the whole dataset', () => {
    const limited = taken(40, { seed: 3, limit: 10 });
    const shards = [1, 2, 3].map((index) => taken(40, { seed: 3, limit: 10, shard: { index, count: 3 } }));
    expect(shards.flat().sort()).toEqual([...limited].sort());
    expect(shards.map((s) => s.length)).toEqual([8, 6, 6]); // 10 per variant: 4, 3, 3
  });
});
