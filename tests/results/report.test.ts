import { describe, it, expect, afterEach } from 'vitest';
import { verdictFor, publishedFor, buildReport } from '../../results/report.js';
import { Store, type RunRecord } from '../../results/store.js';

describe('verdictFor', () => {
  it('is consistent when the published value lies inside the interval, bounds included', () => {
    expect(verdictFor([0.7, 0.8], 0.75)).toBe('consistent');
    expect(verdictFor([0.7, 0.8], 0.7)).toBe('consistent');
  });
  it('says which side the measured score lies on', () => {
    expect(verdictFor([0.9, 0.97], 0.75)).toBe('higher');
    expect(verdictFor([0.5, 0.6], 0.75)).toBe('lower');
  });
  it('is no-published without a figure or without data', () => {
    expect(verdictFor([0.5, 0.6], undefined)).toBe('no-published');
    expect(verdictFor(null, 0.5)).toBe('no-published');
  });
});

describe('publishedFor', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  it('lists the o3-mini card first and maps other cards\' variant names onto ours', () => {
    store = new Store(':memory:');
    const rows = publishedFor(store.published(), 'ih-phrase-protection', 'developer-message');
    expect(rows[0].document).toBe('OpenAI o3-mini System Card');
    // GPT-5 calls it malicious-developer-message; gpt-oss's developer-message-user-message is another layout.
    expect(rows.some((r) => r.document === 'GPT-5 System Card' && r.model === 'gpt-5-thinking' && r.value === 0.911)).toBe(true);
    expect(rows.some((r) => r.document.startsWith('gpt-oss'))).toBe(false);
  });
});

describe('buildReport', () => {
  it('compares with the run model\'s own published figure when a card has one, else the card\'s o3-mini', () => {
    const store = new Store(':memory:');
    const make = (id: string, model: string): RunRecord => ({
      id, created: new Date().toISOString(), finished: null, model, provider: 'openai', base_url: null, api: 'chat', params: {},
      harness_version: '0', git_sha: null, dataset_hashes: {}, role_profile: 'native', status: 'completed', error: null,
    });
    for (const [id, model] of [['a', 'o1'], ['b', 'my-model']]) {
      store.createRun(make(id, model), [{ key: 'k', eval: 'ih-system-user-conflict', variant: 'default', sample_id: 's', epoch: 0 }]);
      store.recordResults([{ run_id: id, key: 'k', status: 'scored', completions: [], scores: [{ metric: 'accuracy', value: 1, pass: true, reason: '', grader_version: '1' }] }]);
    }
    const ref = (id: string) => buildReport(store, store.getRun(id)!, new Map()).results[0].reference;
    // o1 is published by several cards; the newest one (o3/o4-mini card) gives 0.85.
    expect(ref('a')).toMatchObject({ model: 'o1', value: 0.85 });
    expect(ref('b')).toMatchObject({ model: 'o3-mini', value: 0.73, document: 'OpenAI o3-mini System Card' });
    store.close();
  });
});
