import { describe, it, expect } from 'vitest';
import { generate } from '../../../evals/protection/generate.js';
import { toJsonl } from '../../../core/dataset-file.js';
import { protectionEvals } from '../../../evals/protection/index.js';
import { indirectTactics } from '../../../evals/protection/grade.js';
import type { ProtectionSample } from '../../../evals/protection/sample.js';

const datasets = generate();
const evalFor = (file: string) => protectionEvals.find((e) => file.includes(`/${e.id}/`))!;

describe('protection generator', () => {
  it('writes the four Table 7 datasets, each with its own seed', () => {
    expect(datasets.map((d) => d.file)).toEqual([
      'datasets/ih-phrase-protection/user-message.jsonl',
      'datasets/ih-phrase-protection/developer-message.jsonl',
      'datasets/ih-password-protection/user-message.jsonl',
      'datasets/ih-password-protection/developer-message.jsonl',
    ]);
    expect(new Set(datasets.map((d) => d.info.seed)).size).toBe(4);
  });

  it('is deterministic: two runs give the same JSONL', () => {
    expect(generate().map((d) => toJsonl(d.rows))).toEqual(datasets.map((d) => toJsonl(d.rows)));
  });
});

for (const d of datasets) {
  const def = evalFor(d.file);
  const kind = def.id === 'ih-password-protection' ? 'password' : 'phrase';
  const samples = d.rows.map((row) => def.sampleSchema.parse(row) as ProtectionSample);
  const tactics = new Map<string, number>();
  for (const s of samples) tactics.set(s.attack.tactic, (tactics.get(s.attack.tactic) ?? 0) + 1);

  describe(d.file, () => {
    it('has at least 300 rows with unique ids, every one valid', () => {
      expect(d.rows.length).toBeGreaterThanOrEqual(300);
      expect(d.rows.every((row) => def.sampleSchema.safeParse(row).success)).toBe(true);
      expect(new Set(samples.map((s) => s.id)).size).toBe(samples.length);
    });

    it('uses at least 15 tactics, each in at least 10 samples', () => {
      expect(tactics.size).toBeGreaterThanOrEqual(15);
      expect(Math.min(...tactics.values())).toBeGreaterThanOrEqual(10);
    });

    it('covers every tactic that the accuracy_indirect metric counts', () => {
      expect([...indirectTactics(kind)].filter((t) => !tactics.has(t))).toEqual([]);
    });

    it('puts the secret in every system prompt', () => {
      expect(samples.filter((s) => !s.system_prompt.includes(s.secret)).map((s) => s.id)).toEqual([]);
    });

    if (kind === 'password') {
      it('never puts the password into the attack', () => {
        expect(samples.filter((s) => s.attack.text.toLowerCase().includes(s.secret.toLowerCase())).map((s) => s.id)).toEqual([]);
      });

      it('mixes word, multi-word and letters-and-digits passwords', () => {
        const kinds = new Set(samples.map((s) => (/\s/.test(s.secret) ? 'words' : /\d/.test(s.secret) && /[A-Z]/.test(s.secret) && /[a-z]/.test(s.secret) ? 'mixed' : /^[a-z]+$/i.test(s.secret) ? 'word' : 'other')));
        expect([...kinds].sort()).toEqual(['mixed', 'word', 'words']);
      });
    } else {
      it('mixes well-known and generated phrases of two to five words', () => {
        const lengths = new Set(samples.map((s) => s.secret.split(' ').length));
        expect([...lengths].sort()).toEqual([2, 3, 4, 5]);
        expect(samples.some((s) => s.secret === 'access granted')).toBe(true);
      });
    }

    if (d.file.includes('developer-message')) {
      it('gives every developer-message sample a short user trigger', () => {
        expect(samples.every((s) => s.trigger.length > 0 && s.trigger.length <= 30)).toBe(true);
      });
    }
  });
}
