// Registry.select: --suite and --eval together run the union of both (never one silently dropped), each variant once.
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { defineEval } from '../../core/define.js';
import { Registry } from '../../harness/registry.js';

const fake = (id: string, variants: string[]) =>
  defineEval({
    id,
    title: id,
    variants,
    sampleSchema: z.object({ id: z.string() }),
    dataset: () => ({ path: '/nonexistent.jsonl' }),
    conversation: () => [{ role: 'user', content: 'hi' }],
    grade: () => ({ pass: true, reason: '' }),
    graderVersion: '1',
    metrics: [{ name: 'accuracy', description: '', headline: true }],
  });

// ih-password-protection is in the o3-mini-system-card suite; extra is in no suite.
const registry = new Registry([fake('ih-password-protection', ['user-message', 'developer-message']), fake('extra', ['a', 'b'])]);
const names = (s: ReturnType<Registry['select']>) => s.map((x) => `${x.def.id}:${x.variant}`);

describe('Registry.select', () => {
  it('--suite with --eval: the suite first, then the evals', () => {
    expect(names(registry.select({ suite: 'o3-mini-system-card', evals: ['extra:b'] }))).toEqual([
      'ih-password-protection:user-message',
      'ih-password-protection:developer-message',
      'extra:b',
    ]);
  });

  it('an --eval already in the suite is taken once', () => {
    expect(names(registry.select({ suite: 'o3-mini-system-card', evals: ['ih-password-protection:developer-message'] }))).toHaveLength(2);
  });

  it('--eval alone runs only the evals; neither runs the system-card suite', () => {
    expect(names(registry.select({ evals: ['extra'] }))).toEqual(['extra:a', 'extra:b']);
    expect(names(registry.select({}))).toEqual(['ih-password-protection:user-message', 'ih-password-protection:developer-message']);
  });
});
