import { describe, it, expect } from 'vitest';
import { Store } from '../../results/store.js';
import { importPublished } from '../../results/import-published.js';

const figures = Store.publishedFigures();
const ours = new Set(['ih-developer-user-conflict', 'ih-system-developer-conflict', 'ih-system-user-conflict', 'ih-tutor-jailbreak', 'ih-phrase-protection', 'ih-password-protection']);

describe('datasets/published/figures.json: same test or not', () => {
  it('says of every figure whether it measures the row it is filed under, with the document\'s words and a reason', () => {
    for (const f of figures) {
      expect(['same', 'related'], `${f.document} ${f.eval} ${f.model}`).toContain(f.test_match);
      expect(f.test_match_quote, `${f.document} ${f.eval}`).toBeTruthy();
      expect(f.test_match_reason, `${f.document} ${f.eval}`).toBeTruthy();
    }
  });
  it('maps every other document\'s figure onto one of our rows only with a decision: o1, GPT-4.5, o3/o4-mini same; GPT-5 phrase related', () => {
    const of = (doc: string) => figures.filter((f) => f.document.startsWith(doc) && ours.has(f.eval));
    for (const doc of ['OpenAI o1 System Card', 'OpenAI GPT-4.5 System Card', 'OpenAI o3 and o4-mini System Card']) {
      expect(of(doc).length).toBeGreaterThan(0);
      expect(new Set(of(doc).map((f) => f.test_match))).toEqual(new Set(['same']));
    }
    const gpt5 = of('GPT-5 System Card');
    expect(gpt5.map((f) => f.eval)).toEqual(Array(8).fill('ih-phrase-protection'));
    expect(new Set(gpt5.map((f) => f.test_match))).toEqual(new Set(['related']));
    expect(gpt5[0].test_match_quote).toMatch(/Phrase protection - malicious (user|developer) message/);
    // gpt-oss: the secret in the system message and the attack from the user is our user-message layout; the secret in
    // the developer message is not one of ours.
    const oss = of('gpt-oss');
    expect(oss.filter((f) => f.variant === 'user-message').every((f) => f.test_match === 'same')).toBe(true);
    expect(oss.filter((f) => f.variant !== 'user-message').every((f) => f.test_match === 'related')).toBe(true);
    // The card's OpenAI PRs figure, which tool-format is filed under, is another test and metric.
    expect(figures.filter((f) => f.eval === 'openai-prs').every((f) => f.test_match === 'related')).toBe(true);
  });
  it('is what the importer writes from a transcription row (the importer decides, the file is not edited by hand)', () => {
    const row = {
      document: 'GPT-5 System Card', document_date: '2025-08-13', table: 'Table 6: Instruction Hierarchy Evaluations', eval_id: 'ih-phrase-protection',
      variant: 'malicious-user-message', model: 'gpt-5-thinking', metric: 'accuracy', value: 0.94, source_url: 'u', quote: '| Phrase protection - malicious user message | 0.940 |',
    };
    const [f] = importPublished([row]);
    const shipped = figures.find((x) => x.document === 'GPT-5 System Card' && x.variant === 'user-message' && x.model === 'gpt-5-thinking')!;
    expect(f).toMatchObject({ variant: 'user-message', test_match: 'related', test_match_quote: shipped.test_match_quote, test_match_reason: shipped.test_match_reason });
  });
});
